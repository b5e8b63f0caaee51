"""The recording scenario: the calls `flask erp record` makes, and the contract suite replays; and what
is done to the exchanges before they are written.

Every input is fixed (dates, values, idempotency keys), so a replayed request matches its recording.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping

from adapters.core.errors import ErpError
from adapters.core.operations import OPERATIONS
from adapters.core.port import BillingPort
from adapters.core.records import (
    Attachment,
    Customer,
    MessageDraft,
    MessageKind,
    MeterStatus,
    PaymentRecord,
    ReadingSubmission,
)
from adapters.core.settings import ErpSettings
from adapters.testing.anonymise import anonymise_all
from adapters.testing.recording import Exchange
from adapters.testing.redaction import Redactor
from adapters.testing.synthetic import PDF
from gateway.erp.check import UNKNOWN_CUSTOMER

RECORDED_READING_DATE = date(2026, 11, 20)
RECORDED_READING_STEP = Decimal("4.250")
RECORDED_KEYS = {
    "reading": "rec-reading-0001",
    "too-low": "rec-reading-0002",
    "message": "rec-message-0001",
    "consent": "rec-consent-0001",
}
# The simulator's time while recording (scripts/record-fixtures fixes it), so a sent message's time is the same
# in every recording.
RECORDED_NOW = datetime(2026, 12, 5, 12, 0, tzinfo=timezone(timedelta(hours=1)))
RECORDED_PAID_AT = datetime(2026, 12, 5, 14, 30, tzinfo=timezone(timedelta(hours=1)))
# The write customer's payments: refused ones first (another customer's invoice, nothing paid), then part of its
# unpaid invoice and the rest, as the contract suite sends them; the transaction id is the idempotency key.
RECORDED_PAYMENT_INVOICE = "INV-202611-00161"  # the write customer's only unpaid invoice: 120,23 zł
RECORDED_FOREIGN_INVOICE = "INV-202611-00132"  # the second read customer's
RECORDED_PAYMENTS = {
    "foreign": PaymentRecord("300000003", "przelewy24", RECORDED_PAID_AT, Decimal("10.00"),
                             (RECORDED_FOREIGN_INVOICE,)),
    "nothing": PaymentRecord("300000004", "przelewy24", RECORDED_PAID_AT, Decimal("0.00"),
                             (RECORDED_PAYMENT_INVOICE,)),
    "part": PaymentRecord("300000001", "przelewy24", RECORDED_PAID_AT, Decimal("20.23"),
                          (RECORDED_PAYMENT_INVOICE,)),
    "rest": PaymentRecord("300000002", "przelewy24", RECORDED_PAID_AT, Decimal("100.00"),
                          (RECORDED_PAYMENT_INVOICE,)),
}


def _quietly(call: Callable[..., Any], *args: Any) -> Any:
    """An ERP error is part of the recording too: the replay must give the same answer."""
    try:
        return call(*args)
    except ErpError:
        return None


def record_reads(port: BillingPort, customer_id: str) -> Customer | None:
    """Every read operation for one customer, in the table's order; an operation that takes an id is called
    for the items of its listing (the first two invoices, every other item), and the meter filter once.
    Returns the customer's record as read, whose strings the anonymiser then finds anywhere."""
    answers: dict[str, Any] = {}
    for name, operation in OPERATIONS.items():
        call = getattr(port, name)
        if operation.write:
            continue
        if operation.id_from is None:
            answers[name] = _quietly(call, customer_id)
            continue
        for item in list(answers.get(operation.id_from.listing) or [])[:operation.id_from.items]:
            _quietly(call, customer_id, item.id)
    meters = answers.get("list_meters") or []
    if meters:
        _quietly(port.list_meters, customer_id, meters[0].serial[-4:].lower())
    customer = answers.get("get_customer")
    return customer if isinstance(customer, Customer) else None


def record_cross_customer(port: BillingPort, owner: str, stranger: str) -> None:
    """Another customer's ids must come back as not found; record how the ERP says so."""
    _quietly(port.get_customer, UNKNOWN_CUSTOMER)
    invoices = _quietly(port.list_invoices, owner) or []
    meters = _quietly(port.list_meters, owner) or []
    if invoices:
        _quietly(port.get_invoice, stranger, invoices[0].id)
    if meters:
        _quietly(port.list_readings, stranger, meters[0].id)


def recorded_reading(port: BillingPort, customer_id: str) -> ReadingSubmission | None:
    """The reading the scenario submits: above the last one of the first active meter."""
    meters = [m for m in port.list_meters(customer_id) if m.status is MeterStatus.ACTIVE]
    if not meters:
        return None
    readings = port.list_readings(customer_id, meters[0].id)
    last = readings[-1].value if readings else Decimal("0")
    return ReadingSubmission(
        meters[0].id, RECORDED_READING_DATE, last + RECORDED_READING_STEP, RECORDED_KEYS["reading"], "nagranie"
    )


def recorded_message() -> MessageDraft:
    return MessageDraft(
        kind=MessageKind.INQUIRY,
        subject="Pytanie o termin odczytu",
        body="Proszę o informację, kiedy inkasent odczyta wodomierz.",
        idempotency_key=RECORDED_KEYS["message"],
        attachments=(Attachment("zdjecie-licznika.pdf", "application/pdf", PDF),),
    )


def record_payments(port: BillingPort, customer_id: str) -> None:
    """Two refused payments, then part of an invoice and the rest (sent twice), each read back as the contract
    suite reads it: the replay hands out a repeated request's answers in this order."""
    for name in ("foreign", "nothing"):
        _quietly(port.record_payment, customer_id, RECORDED_PAYMENTS[name])
    _quietly(port.get_invoice, customer_id, RECORDED_PAYMENT_INVOICE)
    _quietly(port.record_payment, customer_id, RECORDED_PAYMENTS["part"])
    _quietly(port.get_invoice, customer_id, RECORDED_PAYMENT_INVOICE)
    _quietly(port.get_settlements, customer_id)
    for _ in range(2):
        _quietly(port.record_payment, customer_id, RECORDED_PAYMENTS["rest"])
    _quietly(port.list_invoices, customer_id)
    _quietly(port.get_invoice, customer_id, RECORDED_PAYMENT_INVOICE)
    _quietly(port.get_settlements, customer_id)


def record_foreign_invoice_files(port: BillingPort, customer_ids: list[str]) -> None:
    """The first customer asks for the e-invoice file (KSeF) of each other customer's first invoice that has one:
    not found, however the ERP says so."""
    for other in customer_ids[1:]:
        numbered = [invoice for invoice in _quietly(port.list_invoices, other) or () if invoice.ksef_number]
        if numbered:
            _quietly(port.get_invoice_xml, customer_ids[0], numbered[0].id)


def record_writes(port: BillingPort, customer_id: str) -> None:
    """One accepted and one refused reading, a message, a consent change and payments: changes ERP data."""
    submission = recorded_reading(port, customer_id)
    if submission is not None:
        _quietly(port.submit_reading, customer_id, submission)
        too_low = ReadingSubmission(
            submission.meter_id, RECORDED_READING_DATE, Decimal("0.000"), RECORDED_KEYS["too-low"], "nagranie"
        )
        _quietly(port.submit_reading, customer_id, too_low)
    _quietly(port.send_message, customer_id, recorded_message())
    _quietly(port.list_messages, customer_id)
    _quietly(port.set_einvoice_consent, customer_id, True, RECORDED_KEYS["consent"])
    record_payments(port, customer_id)


def record_scenario(
    port: BillingPort, customer_ids: list[str], write_customer: str | None = None
) -> list[Customer]:
    """The whole scenario. Writes change the ERP's data, so they run only for a customer named for them,
    kept apart from the read customers so a replay of its message list can only be the one after the write.
    Returns the customers' records as read."""
    customers = [record_reads(port, customer_id) for customer_id in customer_ids]
    if len(customer_ids) > 1:
        record_cross_customer(port, customer_ids[0], customer_ids[1])
        record_foreign_invoice_files(port, customer_ids)
    if write_customer:
        record_writes(port, write_customer)
    return [customer for customer in customers if customer is not None]


def recording_rules(
    settings: ErpSettings, adapter: object, config: Mapping[str, Any]
) -> tuple[Redactor, dict[str, str]]:
    """What a recording removes: the settings' credentials and the fields the adapter declares (`secret_fields`,
    `personal_fields`, on its class or, as a mapping file's, on the adapter built) or IT configured
    (ERP_RECORD_SECRET_FIELDS, ERP_RECORD_PERSONAL_FIELDS)."""
    secret_names = declared(adapter, "secret_fields", config.get("ERP_RECORD_SECRET_FIELDS") or ())
    personal = declared(adapter, "personal_fields", config.get("ERP_RECORD_PERSONAL_FIELDS") or ())
    return Redactor(set(settings.secret_values()), secret_names), personal


def declared(adapter: object, name: str, configured: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """Field names an adapter class declares (`secret_fields`, `personal_fields`) and IT configured,
    each with a kind of stand-in ("" where none is said)."""
    result: dict[str, str] = {}
    for source in (getattr(adapter, name, None) or (), configured or ()):
        result.update(source if isinstance(source, Mapping) else dict.fromkeys(source, ""))
    return result


def fit_to_keep(
    exchanges: list[Exchange],
    redactor: Redactor,
    customers: Iterable[Customer] = (),
    personal_fields: Mapping[str, str] | None = None,
    keep_personal_data: bool = False,
) -> list[Exchange]:
    """Credentials always go; personal data too unless asked to keep it (never for files you commit)."""
    redacted = [redactor.exchange(exchange) for exchange in exchanges]
    if keep_personal_data:
        return redacted
    return anonymise_all(redacted, personal_fields=personal_fields or {}, customers=customers)
