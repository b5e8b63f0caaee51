"""FakeBilling: the port over an in-process backend that speaks wire dicts (the demo store), no network.

Every reply still goes through adapters/wire/schemas.py and every write through adapters/wire/payloads.py, so the fake
fails where the real adapters would. The backend is typed by a Protocol: adapters never import fixtures.
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol

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
from adapters.wire import payloads
from adapters.wire import schemas as s

Payload = Mapping[str, Any]


class WireBackend(Protocol):
    """What FakeBilling needs: the port's operations taking and returning the contract's wire dicts."""

    def get_customer(self, customer_id: str) -> Payload: ...
    def list_contracts(self, customer_id: str) -> Payload: ...
    def get_contract_scan(self, customer_id: str, contract_id: str) -> Payload: ...
    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> Payload: ...
    def list_readings(self, customer_id: str, meter_id: str) -> Payload: ...
    def submit_reading(self, customer_id: str, payload: Payload) -> Payload: ...
    def list_invoices(self, customer_id: str) -> Payload: ...
    def get_invoice(self, customer_id: str, invoice_id: str) -> Payload: ...
    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> Payload: ...
    def get_settlements(self, customer_id: str) -> Payload: ...
    def list_documents(self, customer_id: str) -> Payload: ...
    def get_document(self, customer_id: str, document_id: str) -> Payload: ...
    def send_message(self, customer_id: str, payload: Payload) -> Payload: ...
    def list_messages(self, customer_id: str) -> Payload: ...
    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> Payload: ...


class FakeBilling(BillingPort):
    """The demo ERP in-process: `FakeBilling(DemoStore.load())`; its errors are already the port's own."""

    def __init__(self, backend: WireBackend) -> None:
        self.backend = backend

    def get_customer(self, customer_id: str) -> Customer:
        return s.load_one("get_customer", s.CUSTOMER, self.backend.get_customer(customer_id))

    def list_contracts(self, customer_id: str) -> list[Contract]:
        reply = self.backend.list_contracts(customer_id)
        return s.load_list("list_contracts", s.CONTRACT, reply, "contracts")

    def get_contract_scan(self, customer_id: str, contract_id: str) -> FileContent:
        reply = self.backend.get_contract_scan(customer_id, contract_id)
        return s.load_one("get_contract_scan", s.FILE_CONTENT, reply)

    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> list[Meter]:
        reply = self.backend.list_meters(customer_id, serial_contains=serial_contains)
        return s.load_list("list_meters", s.METER, reply, "meters")

    def list_readings(self, customer_id: str, meter_id: str) -> list[Reading]:
        reply = self.backend.list_readings(customer_id, meter_id)
        return s.load_list("list_readings", s.READING, reply, "readings")

    def submit_reading(self, customer_id: str, submission: ReadingSubmission) -> WriteReceipt:
        reply = self.backend.submit_reading(customer_id, payloads.reading_submission(submission))
        return s.load_one("submit_reading", s.RECEIPT, reply)

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        reply = self.backend.list_invoices(customer_id)
        return s.load_list("list_invoices", s.INVOICE_SUMMARY, reply, "invoices")

    def get_invoice(self, customer_id: str, invoice_id: str) -> Invoice:
        return s.load_one("get_invoice", s.INVOICE, self.backend.get_invoice(customer_id, invoice_id))

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        reply = self.backend.get_invoice_pdf(customer_id, invoice_id)
        return s.load_one("get_invoice_pdf", s.FILE_CONTENT, reply)

    def get_settlements(self, customer_id: str) -> Settlements:
        return s.load_one("get_settlements", s.SETTLEMENTS, self.backend.get_settlements(customer_id))

    def list_documents(self, customer_id: str) -> list[DocumentInfo]:
        reply = self.backend.list_documents(customer_id)
        return s.load_list("list_documents", s.DOCUMENT_INFO, reply, "documents")

    def get_document(self, customer_id: str, document_id: str) -> FileContent:
        reply = self.backend.get_document(customer_id, document_id)
        return s.load_one("get_document", s.FILE_CONTENT, reply)

    def send_message(self, customer_id: str, draft: MessageDraft) -> WriteReceipt:
        reply = self.backend.send_message(customer_id, payloads.message_draft(draft))
        return s.load_one("send_message", s.RECEIPT, reply)

    def list_messages(self, customer_id: str) -> list[Message]:
        reply = self.backend.list_messages(customer_id)
        return s.load_list("list_messages", s.MESSAGE, reply, "messages")

    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> WriteReceipt:
        reply = self.backend.set_einvoice_consent(customer_id, enabled, idempotency_key)
        return s.load_one("set_einvoice_consent", s.RECEIPT, reply)
