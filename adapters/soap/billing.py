"""SoapBilling: the billing port over the ERP's SOAP contract (adapters/contract), through zeep.

zeep writes every request; a good reply is read straight into a plain dict (adapters/soap/reply.py) and goes through
the same marshmallow schemas as the REST adapter's JSON, so the two protocols cannot drift apart.
"""

from __future__ import annotations

from typing import Any, Callable

import requests
from lxml import etree
from marshmallow import Schema
from zeep.exceptions import XMLParseError
from zeep.loader import parse_xml
from zeep.proxy import ServiceProxy

from adapters.core.errors import ErpError
from adapters.core.port import WRITE_OPERATIONS, BillingPort
from adapters.core.records import (
    Contract,
    Customer,
    DocumentInfo,
    FileContent,
    Invoice,
    InvoiceSummary,
    Message,
    MessageDraft,
    Meter,
    Reading,
    ReadingSubmission,
    Settlements,
    WriteReceipt,
)
from adapters.core.settings import ErpSettings
from adapters.soap.client import NAMESPACE, SOAP_ENV, Call, calling, service_for
from adapters.soap.faults import ZEEP_FAILURES, map_failure
from adapters.soap.reply import read_list, read_object
from adapters.wire import payloads, schemas
from adapters.wire.http import ErpHttp

SOAP_OPERATIONS: dict[str, str] = {
    "get_customer": "GetCustomer",
    "list_contracts": "ListContracts",
    "get_contract_scan": "GetContractScan",
    "list_meters": "ListMeters",
    "list_readings": "ListReadings",
    "submit_reading": "SubmitReading",
    "list_invoices": "ListInvoices",
    "get_invoice": "GetInvoice",
    "get_invoice_pdf": "GetInvoicePdf",
    "get_settlements": "GetSettlements",
    "list_documents": "ListDocuments",
    "get_document": "GetDocument",
    "send_message": "SendMessage",
    "list_messages": "ListMessages",
    "set_einvoice_consent": "SetEInvoiceConsent",
}


class SoapBilling(BillingPort):
    """Cheap to build per request: the zeep client behind it is parsed once per process and settings."""

    def __init__(self, settings: ErpSettings, http: ErpHttp | None = None) -> None:
        self.settings = settings
        self.http = http or ErpHttp(settings)

    def _call(self, operation: str, read: Callable[[etree._Element], Any], **params: Any) -> Any:
        """One bounded SOAP exchange: zeep writes the request; a good reply is read by `read` (adapters/
        soap_reply.py), a fault or anything else by zeep. Whatever goes wrong leaves as an ErpError."""
        service = service_for(self.settings)
        name = SOAP_OPERATIONS[operation]
        call = Call(self.http, operation, idempotent=operation not in WRITE_OPERATIONS)
        try:
            with calling(call), service._client.settings(raw_response=True):
                response = service[name](**params)
            return read(self._reply_element(service, name, response))
        except ErpError:
            raise
        except ZEEP_FAILURES as error:
            raise map_failure(operation, error) from None

    @staticmethod
    def _reply_element(service: ServiceProxy, name: str, response: requests.Response) -> etree._Element:
        """The body's <NameResponse>, parsed with zeep's own closed parser; any other reply (a fault above
        all) is processed by zeep, which raises what it finds."""
        client = service._client
        if response.status_code == 200 and response.content:
            document = parse_xml(response.content, client.transport, settings=client.settings)  # type: ignore[arg-type]
            body = document.find(f"{{{SOAP_ENV}}}Body")
            children = list(body) if body is not None else []
            if len(children) == 1 and children[0].tag == f"{{{NAMESPACE}}}{name}Response":
                return children[0]
        binding = service._binding
        binding.process_reply(client, binding.get(name), response)
        raise XMLParseError("the SOAP body does not hold this operation's reply")

    def _one(self, operation: str, schema: Schema, **params: Any) -> Any:
        payload = self._call(operation, lambda reply: read_object(operation, reply, schema), **params)
        return schemas.load_one(operation, schema, payload)

    def _many(self, operation: str, schema: Schema, key: str, **params: Any) -> list[Any]:
        payload = self._call(operation, lambda reply: read_list(operation, reply, schema, key), **params)
        return schemas.load_list(operation, schema, payload, key)

    def get_customer(self, customer_id: str) -> Customer:
        return self._one("get_customer", schemas.CUSTOMER, customerId=customer_id)

    def list_contracts(self, customer_id: str) -> list[Contract]:
        return self._many("list_contracts", schemas.CONTRACT, "contracts", customerId=customer_id)

    def get_contract_scan(self, customer_id: str, contract_id: str) -> FileContent:
        return self._one(
            "get_contract_scan", schemas.FILE_CONTENT, customerId=customer_id, contractId=contract_id
        )

    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> list[Meter]:
        return self._many(
            "list_meters", schemas.METER, "meters", customerId=customer_id, serialContains=serial_contains
        )

    def list_readings(self, customer_id: str, meter_id: str) -> list[Reading]:
        return self._many(
            "list_readings", schemas.READING, "readings", customerId=customer_id, meterId=meter_id
        )

    def submit_reading(self, customer_id: str, submission: ReadingSubmission) -> WriteReceipt:
        payload = payloads.reading_submission(submission)
        return self._one("submit_reading", schemas.RECEIPT, customerId=customer_id, **payload)

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        return self._many("list_invoices", schemas.INVOICE_SUMMARY, "invoices", customerId=customer_id)

    def get_invoice(self, customer_id: str, invoice_id: str) -> Invoice:
        return self._one("get_invoice", schemas.INVOICE, customerId=customer_id, invoiceId=invoice_id)

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        return self._one(
            "get_invoice_pdf", schemas.FILE_CONTENT, customerId=customer_id, invoiceId=invoice_id
        )

    def get_settlements(self, customer_id: str) -> Settlements:
        return self._one("get_settlements", schemas.SETTLEMENTS, customerId=customer_id)

    def list_documents(self, customer_id: str) -> list[DocumentInfo]:
        return self._many("list_documents", schemas.DOCUMENT_INFO, "documents", customerId=customer_id)

    def get_document(self, customer_id: str, document_id: str) -> FileContent:
        return self._one(
            "get_document", schemas.FILE_CONTENT, customerId=customer_id, documentId=document_id
        )

    def send_message(self, customer_id: str, draft: MessageDraft) -> WriteReceipt:
        """Attachments travel as raw bytes; zeep encodes them as xs:base64Binary."""
        payload = payloads.message_draft(draft)
        return self._one("send_message", schemas.RECEIPT, customerId=customer_id, **payload)

    def list_messages(self, customer_id: str) -> list[Message]:
        return self._many("list_messages", schemas.MESSAGE, "messages", customerId=customer_id)

    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> WriteReceipt:
        payload = payloads.einvoice_consent(enabled, idempotency_key)
        return self._one("set_einvoice_consent", schemas.RECEIPT, customerId=customer_id, **payload)
