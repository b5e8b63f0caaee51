"""Frozen records the billing port returns: the only shapes views and templates ever see.

A field that may be None is one an ERP may leave out (docs/erp-contract.md, "Optional fields"): every page
renders without it. tests/test_optional_fields.py keeps the XSD and openapi.yaml in step with these types.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class TaxIdKind(enum.StrEnum):
    NIP = "NIP"
    PESEL = "PESEL"


class PremiseKind(enum.StrEnum):
    HOUSE = "house"
    FLAT = "flat"
    COMMERCIAL = "commercial"
    GARDEN = "garden"


class ContractStatus(enum.StrEnum):
    ACTIVE = "active"
    TERMINATED = "terminated"
    PENDING = "pending"


class MeterStatus(enum.StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"
    FAULTY = "faulty"


class ReadingType(enum.StrEnum):
    CUSTOMER = "customer"
    COLLECTOR = "collector"
    REMOTE = "remote"
    ESTIMATED = "estimated"


class ReadingStatus(enum.StrEnum):
    ACCEPTED = "accepted"
    PENDING = "pending"
    REJECTED = "rejected"


class InvoiceStatus(enum.StrEnum):
    PAID = "paid"
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"


class SettlementKind(enum.StrEnum):
    INVOICE = "invoice"
    CORRECTION = "correction"
    PAYMENT = "payment"
    PREPAYMENT = "prepayment"
    OVERPAYMENT = "overpayment"
    INTEREST_NOTE = "interest_note"


class DocumentCategory(enum.StrEnum):
    FORM = "form"
    TARIFF = "tariff"
    REGULATION = "regulation"
    PERSONAL = "personal"


class MessageKind(enum.StrEnum):
    COMPLAINT = "complaint"
    INQUIRY = "inquiry"
    REQUEST = "request"


class MessageStatus(enum.StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    postal_code: str
    city: str

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


@dataclass(frozen=True, slots=True)
class Premise:
    id: str
    address: Address
    kind: PremiseKind | None


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    address: Address
    email: str | None
    phone: str | None
    # PESEL or NIP: many ERPs hold neither for some customers, and the portal needs neither to work.
    tax_id: str | None
    tax_id_kind: TaxIdKind | None
    premises: tuple[Premise, ...]
    # The customer's individual account (26-digit NRB) for transfers; None when the ERP sends none.
    payment_account: str | None = None

    @property
    def masked_tax_id(self) -> str | None:
        """Show only the last three digits: enough to recognise, too little to misuse."""
        if self.tax_id is None:
            return None
        return "*" * max(len(self.tax_id) - 3, 0) + self.tax_id[-3:]


@dataclass(frozen=True, slots=True)
class Contract:
    id: str
    number: str
    premise_id: str
    signed_on: date | None
    valid_from: date | None
    valid_to: date | None
    status: ContractStatus
    tariff_group: str | None
    billing_cycle: str | None
    einvoice_consent: bool
    has_scan: bool


@dataclass(frozen=True, slots=True)
class Meter:
    id: str
    serial: str
    status: MeterStatus
    user: str | None
    premise_id: str
    registered_on: date | None
    tariff: str | None
    diameter: str | None
    legalisation_valid_until: date | None
    installed_on: date | None
    removed_on: date | None = None
    replaces_meter_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    meter_id: str
    date: date
    value: Decimal
    consumption: Decimal | None
    type: ReadingType
    status: ReadingStatus


@dataclass(frozen=True, slots=True)
class ReadingSubmission:
    meter_id: str
    date: date
    value: Decimal
    idempotency_key: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class WriteReceipt:
    """What the ERP says after taking a write: its own reference and the state it is in."""

    reference: str
    status: str


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """A payment made at the payment operator, handed to the ERP to book against the customer's invoices; the
    operator's transaction id is the idempotency key, so a payment is booked once however often it is sent."""

    transaction_id: str
    operator: str
    paid_at: datetime
    amount: Decimal
    invoice_ids: tuple[str, ...]

    @property
    def idempotency_key(self) -> str:
        return payment_key(self.operator, self.transaction_id)


def payment_key(operator: str, transaction_id: str) -> str:
    """One key per transaction at one operator, in the characters an idempotency key allows."""
    return f"{operator}-{transaction_id}"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    description: str
    quantity: Decimal | None
    unit: str | None
    unit_price: Decimal | None
    vat_rate: str | None
    net: Decimal | None
    vat: Decimal | None
    gross: Decimal


@dataclass(frozen=True, slots=True)
class InvoiceSummary:
    id: str
    number: str
    ksef_number: str | None
    issued_on: date
    period_from: date | None
    period_to: date | None
    due_on: date
    net: Decimal | None
    vat: Decimal | None
    gross: Decimal
    status: InvoiceStatus
    premise_id: str | None
    ksef_hash: str | None = None  # the FA(3) file's SHA-256 in Base64, as KSeF's invoiceHash: KOD I links to it
    ksef_offline: bool = False  # issued in KSeF's offline mode: its number may not be assigned yet


@dataclass(frozen=True, slots=True)
class Invoice(InvoiceSummary):
    lines: tuple[InvoiceLine, ...] = ()


@dataclass(frozen=True, slots=True)
class SettlementEntry:
    kind: SettlementKind
    document_number: str
    issued_on: date
    due_on: date | None
    paid_on: date | None
    amount: Decimal
    settled: Decimal
    remaining: Decimal
    invoice_id: str | None = None


@dataclass(frozen=True, slots=True)
class Settlements:
    balance: Decimal
    entries: tuple[SettlementEntry, ...]


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: str
    title: str
    category: DocumentCategory
    published_on: date | None
    size: int | None
    content_type: str
    public: bool


@dataclass(frozen=True, slots=True)
class FileContent:
    """A file the ERP hands over: invoice PDF, contract scan or a document to download."""

    filename: str
    content_type: str
    content: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class MessageDraft:
    kind: MessageKind
    subject: str
    body: str
    idempotency_key: str
    attachments: tuple[Attachment, ...] = ()
    premise_id: str | None = None
    invoice_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    sent_at: datetime
    author: str | None
    body: str


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    case_number: str
    kind: MessageKind
    subject: str
    body: str
    sent_at: datetime
    status: MessageStatus
    premise_id: str | None
    invoice_id: str | None
    attachment_names: tuple[str, ...]
    replies: tuple[Reply, ...]
