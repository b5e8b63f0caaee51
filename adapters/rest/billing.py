"""The REST adapter: the billing port over the reference contract in adapters/contract/openapi.yaml."""

from __future__ import annotations

import base64
from typing import Any, Mapping
from urllib.parse import quote, urlencode

from marshmallow import Schema

from adapters.core.errors import ErpBadResponse, ErpNotFound
from adapters.core.port import BillingPort
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
from adapters.rest.replies import JSON_TYPE, PDF_TYPE, file_payload, json_payload
from adapters.wire import payloads
from adapters.wire import schemas as s
from adapters.wire.http import ErpHttp

Query = Mapping[str, str] | None


class RestBilling(BillingPort):
    """Each operation is one bounded HTTP call; every reply goes through the shared schemas."""

    def __init__(self, settings: ErpSettings, http: ErpHttp | None = None) -> None:
        self.base_url = settings.url.rstrip("/")
        self.http = http or ErpHttp(settings)

    def get_customer(self, customer_id: str) -> Customer:
        payload = self._get_json("get_customer", customer_id)
        return s.load_one("get_customer", s.CUSTOMER, payload)

    def list_contracts(self, customer_id: str) -> list[Contract]:
        return self._get_list("list_contracts", s.CONTRACT, "contracts", customer_id, "contracts")

    def get_contract_scan(self, customer_id: str, contract_id: str) -> FileContent:
        path = (customer_id, "contracts", contract_id, "scan")
        return self._get_file("get_contract_scan", path, f"umowa-{contract_id}.pdf", PDF_TYPE)

    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> list[Meter]:
        query = {"serial": serial_contains} if serial_contains else None
        return self._get_list("list_meters", s.METER, "meters", customer_id, "meters", query=query)

    def list_readings(self, customer_id: str, meter_id: str) -> list[Reading]:
        path = (customer_id, "meters", meter_id, "readings")
        return self._get_list("list_readings", s.READING, "readings", *path)

    def submit_reading(self, customer_id: str, submission: ReadingSubmission) -> WriteReceipt:
        path = (customer_id, "meters", submission.meter_id, "readings")
        body = payloads.reading_submission(submission)
        return self._write("submit_reading", "POST", path, body, submission.idempotency_key)

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        return self._get_list("list_invoices", s.INVOICE_SUMMARY, "invoices", customer_id, "invoices")

    def get_invoice(self, customer_id: str, invoice_id: str) -> Invoice:
        payload = self._get_json("get_invoice", customer_id, "invoices", invoice_id)
        return s.load_one("get_invoice", s.INVOICE, payload)

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        path = (customer_id, "invoices", invoice_id, "pdf")
        return self._get_file("get_invoice_pdf", path, f"faktura-{invoice_id}.pdf", PDF_TYPE)

    def get_settlements(self, customer_id: str) -> Settlements:
        payload = self._get_json("get_settlements", customer_id, "settlements")
        return s.load_one("get_settlements", s.SETTLEMENTS, payload)

    def list_documents(self, customer_id: str) -> list[DocumentInfo]:
        return self._get_list("list_documents", s.DOCUMENT_INFO, "documents", customer_id, "documents")

    def get_document(self, customer_id: str, document_id: str) -> FileContent:
        path = (customer_id, "documents", document_id, "content")
        return self._get_file("get_document", path, f"dokument-{document_id}", None)

    def send_message(self, customer_id: str, draft: MessageDraft) -> WriteReceipt:
        body = _base64_attachments(payloads.message_draft(draft))
        return self._write("send_message", "POST", (customer_id, "messages"), body, draft.idempotency_key)

    def list_messages(self, customer_id: str) -> list[Message]:
        return self._get_list("list_messages", s.MESSAGE, "messages", customer_id, "messages")

    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> WriteReceipt:
        body = payloads.einvoice_consent(enabled, idempotency_key)
        path = (customer_id, "einvoice-consent")
        return self._write("set_einvoice_consent", "PUT", path, body, idempotency_key)

    def _url(self, operation: str, segments: tuple[str, ...], query: Query = None) -> str:
        """Quote every segment whole: an empty or dots-only id would name another path."""
        # The query goes into the URL itself, so recordings and replays see it as the ERP does.
        if any(not segment.strip(".") for segment in segments):
            raise ErpNotFound(operation, "no such object")
        path = "/".join([self.base_url, "customers", *(quote(segment, safe="") for segment in segments)])
        return f"{path}?{urlencode(query)}" if query else path

    def _get_json(self, operation: str, *segments: str, query: Query = None) -> Any:
        url = self._url(operation, segments, query)
        headers = {"Accept": JSON_TYPE}
        reply = self.http.send(operation, "GET", url, idempotent=True, headers=headers, allow_redirects=False)
        return json_payload(operation, reply)

    def _get_list(
        self, operation: str, schema: Schema, key: str, *segments: str, query: Query = None
    ) -> list[Any]:
        """Over REST an empty list is [], so a reply without the list's key is not taken as empty."""
        payload = self._get_json(operation, *segments, query=query)
        if isinstance(payload, Mapping) and key not in payload:
            raise ErpBadResponse(operation, "missing", field=key)
        return s.load_list(operation, schema, payload, key)

    def _get_file(
        self, operation: str, segments: tuple[str, ...], fallback: str, expected: str | None
    ) -> FileContent:
        url = self._url(operation, segments)
        headers = {"Accept": expected or "*/*"}
        reply = self.http.send(operation, "GET", url, idempotent=True, headers=headers, allow_redirects=False)
        payload = file_payload(operation, reply, fallback, expected)
        return s.load_one(operation, s.FILE_CONTENT, payload)

    def _write(
        self, operation: str, method: str, segments: tuple[str, ...], body: dict[str, Any], key: str
    ) -> WriteReceipt:
        """Never retried: the Idempotency-Key lets the portal, not the adapter, decide to send again."""
        url = self._url(operation, segments)
        headers = {"Accept": JSON_TYPE, "Idempotency-Key": key}
        reply = self.http.send(
            operation, method, url, idempotent=False, json=body, headers=headers, allow_redirects=False
        )
        return s.load_one(operation, s.RECEIPT, json_payload(operation, reply))


def _base64_attachments(body: dict[str, Any]) -> dict[str, Any]:
    """JSON has no bytes: attachment content travels as standard base64."""
    attachments = [
        {**item, "content": base64.b64encode(item["content"]).decode("ascii")} for item in body["attachments"]
    ]
    return {**body, "attachments": attachments}
