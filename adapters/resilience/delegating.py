"""DelegatingBilling: the base of every decorator over the port (cache, breakers, test doubles).

Each port method becomes one `_call(operation, *args)`, so a decorator writes its policy once.
"""

from __future__ import annotations

import abc
from typing import Any

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


class DelegatingBilling(BillingPort):
    """Wraps `inner`; subclasses decide what `_call` does around `getattr(self.inner, operation)`."""

    def __init__(self, inner: BillingPort) -> None:
        self.inner = inner

    @abc.abstractmethod
    def _call(self, operation: str, *args: Any) -> Any:
        """Run one port operation on the inner port, with this decorator's policy around it."""

    def get_customer(self, customer_id: str) -> Customer:
        return self._call("get_customer", customer_id)

    def list_contracts(self, customer_id: str) -> list[Contract]:
        return self._call("list_contracts", customer_id)

    def get_contract_scan(self, customer_id: str, contract_id: str) -> FileContent:
        return self._call("get_contract_scan", customer_id, contract_id)

    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> list[Meter]:
        return self._call("list_meters", customer_id, serial_contains)

    def list_readings(self, customer_id: str, meter_id: str) -> list[Reading]:
        return self._call("list_readings", customer_id, meter_id)

    def submit_reading(self, customer_id: str, submission: ReadingSubmission) -> WriteReceipt:
        return self._call("submit_reading", customer_id, submission)

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        return self._call("list_invoices", customer_id)

    def get_invoice(self, customer_id: str, invoice_id: str) -> Invoice:
        return self._call("get_invoice", customer_id, invoice_id)

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        return self._call("get_invoice_pdf", customer_id, invoice_id)

    def get_settlements(self, customer_id: str) -> Settlements:
        return self._call("get_settlements", customer_id)

    def list_documents(self, customer_id: str) -> list[DocumentInfo]:
        return self._call("list_documents", customer_id)

    def get_document(self, customer_id: str, document_id: str) -> FileContent:
        return self._call("get_document", customer_id, document_id)

    def send_message(self, customer_id: str, draft: MessageDraft) -> WriteReceipt:
        return self._call("send_message", customer_id, draft)

    def list_messages(self, customer_id: str) -> list[Message]:
        return self._call("list_messages", customer_id)

    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> WriteReceipt:
        return self._call("set_einvoice_consent", customer_id, enabled, idempotency_key)
