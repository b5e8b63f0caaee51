"""SoapBilling: the billing port over the ERP's SOAP contract (adapters/contract), through zeep.

The reply of every operation becomes a plain dict with zeep.helpers.serialize_object and goes through
the same marshmallow schemas as the REST adapter's JSON, so the two protocols cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema
from zeep.helpers import serialize_object

from adapters import schemas, wire
from adapters.errors import ErpError
from adapters.http import ErpHttp
from adapters.port import WRITE_OPERATIONS, BillingPort
from adapters.records import (
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
from adapters.settings import ErpSettings
from adapters.soap_client import Call, calling, service_for
from adapters.soap_faults import ZEEP_FAILURES, map_failure

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


def _plain(value: Any) -> Any:
    """An element absent from the reply (or nil) is absent from the dict, as in JSON: defaults then apply."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class SoapBilling(BillingPort):
    """Cheap to build per request: the zeep client behind it is parsed once per process and settings."""

    def __init__(self, settings: ErpSettings, http: ErpHttp | None = None) -> None:
        self.settings = settings
        self.http = http or ErpHttp(settings)

    def _call(self, operation: str, **params: Any) -> Any:
        """One bounded SOAP exchange; whatever goes wrong leaves as an ErpError, the reply as plain data."""
        soap_operation = service_for(self.settings)[SOAP_OPERATIONS[operation]]
        call = Call(self.http, operation, idempotent=operation not in WRITE_OPERATIONS)
        try:
            with calling(call):
                result = soap_operation(**params)
        except ErpError:
            raise
        except ZEEP_FAILURES as error:
            raise map_failure(operation, error) from None
        return _plain(serialize_object(result, dict))

    def _one(self, operation: str, schema: Schema, **params: Any) -> Any:
        return schemas.load_one(operation, schema, self._call(operation, **params))

    def _many(self, operation: str, schema: Schema, key: str, **params: Any) -> list[Any]:
        """zeep unwraps a reply element with a single child, so a list reply arrives bare: wrap it back."""
        payload = self._call(operation, **params)
        if isinstance(payload, list):
            payload = {key: payload}
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
        payload = wire.reading_submission(submission)
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
        payload = wire.message_draft(draft)
        return self._one("send_message", schemas.RECEIPT, customerId=customer_id, **payload)

    def list_messages(self, customer_id: str) -> list[Message]:
        return self._many("list_messages", schemas.MESSAGE, "messages", customerId=customer_id)

    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> WriteReceipt:
        payload = wire.einvoice_consent(enabled, idempotency_key)
        return self._one("set_einvoice_consent", schemas.RECEIPT, customerId=customer_id, **payload)
