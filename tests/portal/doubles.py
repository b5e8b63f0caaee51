"""A port wrapper that fails on demand and counts writes: the ERP misbehaving, without touching the fake."""

from __future__ import annotations

from typing import Any

from adapters.errors import ErpError
from adapters.port import BillingPort


class ScriptedBilling(BillingPort):
    """Delegates every operation to a real port unless a failure is scripted for it."""

    def __init__(self, inner: BillingPort) -> None:
        self.inner = inner
        self.failures: dict[str, ErpError] = {}
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def fail(self, operation: str, error: ErpError) -> None:
        self.failures[operation] = error

    def _call(self, operation: str, *args: Any) -> Any:
        self.calls.append((operation, args))
        if operation in self.failures:
            raise self.failures[operation]
        return getattr(self.inner, operation)(*args)

    def get_customer(self, customer_id):  # type: ignore[no-untyped-def]
        return self._call("get_customer", customer_id)

    def list_contracts(self, customer_id):  # type: ignore[no-untyped-def]
        return self._call("list_contracts", customer_id)

    def get_contract_scan(self, customer_id, contract_id):  # type: ignore[no-untyped-def]
        return self._call("get_contract_scan", customer_id, contract_id)

    def list_meters(self, customer_id, serial_contains=None):  # type: ignore[no-untyped-def]
        return self._call("list_meters", customer_id, serial_contains)

    def list_readings(self, customer_id, meter_id):  # type: ignore[no-untyped-def]
        return self._call("list_readings", customer_id, meter_id)

    def submit_reading(self, customer_id, submission):  # type: ignore[no-untyped-def]
        return self._call("submit_reading", customer_id, submission)

    def list_invoices(self, customer_id):  # type: ignore[no-untyped-def]
        return self._call("list_invoices", customer_id)

    def get_invoice(self, customer_id, invoice_id):  # type: ignore[no-untyped-def]
        return self._call("get_invoice", customer_id, invoice_id)

    def get_invoice_pdf(self, customer_id, invoice_id):  # type: ignore[no-untyped-def]
        return self._call("get_invoice_pdf", customer_id, invoice_id)

    def get_settlements(self, customer_id):  # type: ignore[no-untyped-def]
        return self._call("get_settlements", customer_id)

    def list_documents(self, customer_id):  # type: ignore[no-untyped-def]
        return self._call("list_documents", customer_id)

    def get_document(self, customer_id, document_id):  # type: ignore[no-untyped-def]
        return self._call("get_document", customer_id, document_id)

    def send_message(self, customer_id, draft):  # type: ignore[no-untyped-def]
        return self._call("send_message", customer_id, draft)

    def list_messages(self, customer_id):  # type: ignore[no-untyped-def]
        return self._call("list_messages", customer_id)

    def set_einvoice_consent(self, customer_id, enabled, idempotency_key):  # type: ignore[no-untyped-def]
        return self._call("set_einvoice_consent", customer_id, enabled, idempotency_key)
