"""The billing port: every operation the portal asks of the utility's ERP, one method each."""

from __future__ import annotations

import abc

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

OPERATIONS: tuple[str, ...] = (
    "get_customer",
    "list_contracts",
    "get_contract_scan",
    "list_meters",
    "list_readings",
    "submit_reading",
    "list_invoices",
    "get_invoice",
    "get_invoice_pdf",
    "get_settlements",
    "list_documents",
    "get_document",
    "send_message",
    "list_messages",
    "set_einvoice_consent",
)
WRITE_OPERATIONS: frozenset[str] = frozenset({"submit_reading", "send_message", "set_einvoice_consent"})


class BillingPort(abc.ABC):
    """Every call is scoped by customer id: the ERP answers ErpNotFound for another customer's object."""

    @abc.abstractmethod
    def get_customer(self, customer_id: str) -> Customer:
        """The customer's data with the list of their premises."""

    @abc.abstractmethod
    def list_contracts(self, customer_id: str) -> list[Contract]:
        """All contracts, for every premise."""

    @abc.abstractmethod
    def get_contract_scan(self, customer_id: str, contract_id: str) -> FileContent:
        """The signed contract's scan (PDF); ErpNotFound when the ERP holds none."""

    @abc.abstractmethod
    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> list[Meter]:
        """Meters, optionally only those whose serial contains the text (any case)."""

    @abc.abstractmethod
    def list_readings(self, customer_id: str, meter_id: str) -> list[Reading]:
        """A meter's readings, oldest first."""

    @abc.abstractmethod
    def submit_reading(self, customer_id: str, submission: ReadingSubmission) -> WriteReceipt:
        """Send a reading; the idempotency key makes a repeated delivery harmless."""

    @abc.abstractmethod
    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        """Every invoice, newest first, without line items."""

    @abc.abstractmethod
    def get_invoice(self, customer_id: str, invoice_id: str) -> Invoice:
        """One invoice with its line items."""

    @abc.abstractmethod
    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        """The invoice as the ERP printed it."""

    @abc.abstractmethod
    def get_settlements(self, customer_id: str) -> Settlements:
        """The ledger of invoices, payments and the rest, with the balance."""

    @abc.abstractmethod
    def list_documents(self, customer_id: str) -> list[DocumentInfo]:
        """Public documents and the customer's own."""

    @abc.abstractmethod
    def get_document(self, customer_id: str, document_id: str) -> FileContent:
        """One document's content."""

    @abc.abstractmethod
    def send_message(self, customer_id: str, draft: MessageDraft) -> WriteReceipt:
        """Send a complaint, inquiry or request; the receipt's reference is the case number."""

    @abc.abstractmethod
    def list_messages(self, customer_id: str) -> list[Message]:
        """The customer's messages with their status and replies, newest first."""

    @abc.abstractmethod
    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> WriteReceipt:
        """Switch e-invoices on or off for all the customer's contracts."""
