"""The billing port: every operation the portal asks of the utility's ERP, one typed method each."""

from __future__ import annotations

from typing import Any, Iterable, cast

from adapters.core.errors import ErpNotOffered
from adapters.core.operations import ALL_OPERATIONS, OPERATIONS, REQUIRED
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
    PaymentRecord,
    Reading,
    ReadingSubmission,
    Settlements,
    WriteReceipt,
)


class BillingPort:
    """Every call is scoped by customer id: the ERP answers ErpNotFound for another customer's object.

    Each typed method forwards to `perform` (adapters/core/operations.py names the operations): an adapter
    built on the reference contract implements `perform` once; a hand-written one may override the methods.
    `offered_operations` says which operations the ERP offers at all: every one for an adapter that implements
    `perform`, else those whose typed methods it overrides, unless the adapter states it as a class attribute;
    the portal hides what is not offered, and the decorators answer ErpNotOffered for it without a call.
    """

    @property
    def offered_operations(self) -> frozenset[str]:
        """The names of the operations this ERP offers; an adapter may state them as a class attribute."""
        return implemented_operations(type(self))

    def offers(self, operation: str) -> bool:
        """Whether the ERP offers the operation at all (not whether it answers now)."""
        return operation in self.offered_operations

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        """Run one operation of the table with the typed method's arguments; a hand-written adapter that
        overrides the typed methods instead reaches this only for an operation it does not offer."""
        raise ErpNotOffered(operation, f"{type(self).__name__} does not offer {operation}")

    def get_customer(self, customer_id: str) -> Customer:
        """The customer's data with the list of their premises."""
        return cast("Customer", self.perform("get_customer", customer_id))

    def list_contracts(self, customer_id: str) -> list[Contract]:
        """All contracts, for every premise."""
        return cast("list[Contract]", self.perform("list_contracts", customer_id))

    def get_contract_scan(self, customer_id: str, contract_id: str) -> FileContent:
        """The signed contract's scan (PDF); ErpNotFound when the ERP holds none."""
        return cast("FileContent", self.perform("get_contract_scan", customer_id, contract_id))

    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> list[Meter]:
        """Meters, optionally only those whose serial contains the text (any case)."""
        return cast("list[Meter]", self.perform("list_meters", customer_id, serial_contains))

    def list_readings(self, customer_id: str, meter_id: str) -> list[Reading]:
        """A meter's readings, oldest first."""
        return cast("list[Reading]", self.perform("list_readings", customer_id, meter_id))

    def submit_reading(self, customer_id: str, submission: ReadingSubmission) -> WriteReceipt:
        """Send a reading; the idempotency key makes a repeated delivery harmless."""
        return cast("WriteReceipt", self.perform("submit_reading", customer_id, submission))

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        """Every invoice, newest first, without line items."""
        return cast("list[InvoiceSummary]", self.perform("list_invoices", customer_id))

    def get_invoice(self, customer_id: str, invoice_id: str) -> Invoice:
        """One invoice with its line items."""
        return cast("Invoice", self.perform("get_invoice", customer_id, invoice_id))

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        """The invoice as the ERP printed it."""
        return cast("FileContent", self.perform("get_invoice_pdf", customer_id, invoice_id))

    def get_invoice_xml(self, customer_id: str, invoice_id: str) -> FileContent:
        """The invoice's FA(3) XML as sent to KSeF; ErpNotFound for an invoice outside KSeF."""
        return cast("FileContent", self.perform("get_invoice_xml", customer_id, invoice_id))

    def get_settlements(self, customer_id: str) -> Settlements:
        """The ledger of invoices, payments and the rest, with the balance."""
        return cast("Settlements", self.perform("get_settlements", customer_id))

    def list_documents(self, customer_id: str) -> list[DocumentInfo]:
        """Public documents and the customer's own."""
        return cast("list[DocumentInfo]", self.perform("list_documents", customer_id))

    def get_document(self, customer_id: str, document_id: str) -> FileContent:
        """One document's content."""
        return cast("FileContent", self.perform("get_document", customer_id, document_id))

    def send_message(self, customer_id: str, draft: MessageDraft) -> WriteReceipt:
        """Send a complaint, inquiry or request; the receipt's reference is the case number."""
        return cast("WriteReceipt", self.perform("send_message", customer_id, draft))

    def list_messages(self, customer_id: str) -> list[Message]:
        """The customer's messages with their status and replies, newest first."""
        return cast("list[Message]", self.perform("list_messages", customer_id))

    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> WriteReceipt:
        """Switch e-invoices on or off for all the customer's contracts."""
        return cast("WriteReceipt", self.perform("set_einvoice_consent", customer_id, enabled, idempotency_key))

    def record_payment(self, customer_id: str, payment: PaymentRecord) -> WriteReceipt:
        """Hand a payment made online to the ERP to book; the operator's transaction id makes a repeat harmless."""
        return cast("WriteReceipt", self.perform("record_payment", customer_id, payment))


_implemented: dict[type[BillingPort], frozenset[str]] = {}


def implemented_operations(adapter: type[BillingPort]) -> frozenset[str]:
    """What a class answers: all through its own `perform`, else the typed methods it overrides (a method left
    alone would only reach `perform`, which answers ErpNotOffered). Once per class: menus ask on every page."""
    if adapter not in _implemented:
        overridden = (name for name in ALL_OPERATIONS if getattr(adapter, name) is not getattr(BillingPort, name))
        _implemented[adapter] = ALL_OPERATIONS if adapter.perform is not BillingPort.perform else frozenset(overridden)
    return _implemented[adapter]


class MissingOperations(ValueError):
    """An adapter's capabilities leave out an operation the portal cannot work without, or name unknown ones."""


def check_offered(offered: Iterable[str], source: str) -> frozenset[str]:
    """The offered names as a set, refused when unknown or when a required operation is missing: the portal
    would have no start page, invoices or settlements to show."""
    names = _known(offered, source)
    missing = [name for name in OPERATIONS if name in REQUIRED - names]
    if missing:
        raise MissingOperations(f"{source} leaves out required operations: {', '.join(missing)} "
                                "(the portal cannot work without them; docs/erp-contract.md, \"Capabilities\")")
    return names


def check_not_offered(not_offered: Iterable[str], source: str) -> frozenset[str]:
    """Names taken out of what an adapter offers, refused when unknown or required."""
    names = _known(not_offered, source)
    check_offered(ALL_OPERATIONS - names, source)
    return names


def _known(names: Iterable[str], source: str) -> frozenset[str]:
    known = frozenset(names)
    unknown = sorted(known - ALL_OPERATIONS)
    if unknown:
        raise MissingOperations(f"{source} names unknown operations: {', '.join(unknown)}")
    return known
