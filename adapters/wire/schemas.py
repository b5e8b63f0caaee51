"""Marshmallow schemas for ERP payloads: the wire names of the reference contract, mapped onto records.

Both the SOAP and the REST adapter hand these schemas the same plain dicts, so the two protocols
cannot disagree about a field. Unknown fields are ignored; a missing or ill-typed one is an error.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, ClassVar, Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from adapters.core import records as r
from adapters.core.accounts import as_nrb
from adapters.core.errors import ErpBadResponse

log = logging.getLogger(__name__)

MAX_LIST_ITEMS = 100_000
# Distinct days kept as one object each: a few years of billing days, readings and due dates.
SHARED_DAYS = 4096
# Numbers kept as one object each (least recently read going first): a few hundred thousand bytes at most.
SHARED_AMOUNTS = 8192
# What a water utility's ERP can mean, and what the portal can format and compute with: a value outside
# is a garbled or hostile reply (1e999999999 breaks quantize(), 1e-999999999 prints a billion digits,
# a year 9999 timestamp overflows when shown in Polish time, a 4,000-digit size overflows a float).
MAX_NUMBER = Decimal("1e12")
MAX_DECIMAL_PLACES = 50
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)
FIRST_MOMENT = datetime(1900, 1, 2, tzinfo=timezone.utc)
LAST_MOMENT = datetime(2199, 12, 30, tzinfo=timezone.utc)
MAX_FILE_BYTES = 2**53


class RecordSchema(Schema):
    """Base of every reply schema: fields the portal does not read are ignored, and a loaded reply becomes the
    frozen record named by `record`, its lists made tuples so the record stays immutable."""

    record: ClassVar[Callable[..., Any]]

    class Meta:
        unknown = EXCLUDE

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Any:
        return self.record(**{name: tuple(value) if isinstance(value, list) else value for name, value in data.items()})


def _sane_number(value: Decimal) -> None:
    """Finite, below a trillion, at most 50 decimal places (trailing zeros do not count: the ERP's exact
    value is kept, only an absurd one is refused); checked on the digits alone, as any arithmetic on such
    a value can itself overflow."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise ValidationError("Not a finite number.")
    if not any(digits):
        return
    if value.adjusted() >= MAX_NUMBER.adjusted():
        raise ValidationError("Number out of range.")
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if exponent + trailing_zeros < -MAX_DECIMAL_PLACES:
        raise ValidationError("Too many decimal places.")


@lru_cache(maxsize=SHARED_AMOUNTS)
def shared_amount(text: str) -> Decimal:
    """The one object kept for this number as written (keyed by its text, so 1.10 and 1.1 stay apart)."""
    return Decimal(text)


class SharedDecimal(fields.Decimal):
    """A number whose equal values are one object: prices, fees, VAT and zero balances repeat across invoices and
    customers, and cached answers hold hundreds of them each."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Decimal:
        return shared_amount(str(super()._deserialize(value, attr, data, **kwargs)))


def _money(name: str, optional: bool = False) -> fields.Decimal:
    if optional:
        return SharedDecimal(data_key=name, allow_nan=False, validate=_sane_number, load_default=None,
                             allow_none=True)
    return SharedDecimal(data_key=name, allow_nan=False, validate=_sane_number, required=True)


def _text(name: str, optional: bool = False, length: int = 500) -> fields.String:
    if optional:
        return fields.String(data_key=name, load_default=None, allow_none=True, validate=validate.Length(max=length))
    return fields.String(data_key=name, required=True, validate=validate.Length(min=1, max=length))


@lru_cache(maxsize=SHARED_DAYS)
def shared_day(day: date) -> date:
    """The one object kept for this day (lru_cache hands back the first equal date it was given)."""
    return day


class SharedDate(fields.Date):
    """A date whose equal dates are one object: cached answers repeat the same billing days many times."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> date:
        return shared_day(super()._deserialize(value, attr, data, **kwargs))


def _date(name: str, optional: bool = False) -> fields.Date:
    in_range = validate.Range(min=FIRST_DATE, max=LAST_DATE)
    if optional:
        return SharedDate(data_key=name, load_default=None, allow_none=True, validate=in_range)
    return SharedDate(data_key=name, required=True, validate=in_range)


def _moment(name: str) -> fields.AwareDateTime:
    return fields.AwareDateTime(data_key=name, required=True,
                                validate=validate.Range(min=FIRST_MOMENT, max=LAST_MOMENT))


def _enum(cls: type, name: str, optional: bool = False) -> fields.Enum:
    if optional:
        return fields.Enum(cls, by_value=True, data_key=name, load_default=None, allow_none=True)
    return fields.Enum(cls, by_value=True, data_key=name, required=True)


def _many(schema: type[Schema], name: str) -> fields.List:
    return fields.List(
        fields.Nested(schema), data_key=name, load_default=list, validate=validate.Length(max=MAX_LIST_ITEMS)
    )


class BinaryField(fields.Field):
    """Bytes as zeep gives them for xsd:base64Binary, or as the REST adapter reads a body."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> bytes:
        if not isinstance(value, (bytes, bytearray)):
            raise ValidationError("Not binary content.")
        return bytes(value)


class PaymentAccountField(fields.Field):
    """The customer's NRB, or None: a number failing its checksum would send money nowhere, so it is logged
    (never the number itself) and treated as absent instead of failing the customer's page."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str | None:
        number = as_nrb(value) if isinstance(value, str) and len(value) <= 64 else None
        if number is None:
            log.warning("ERP sent a paymentAccount that is not a valid NRB (26 digits, mod 97): shown as absent")
        return number


class AddressSchema(RecordSchema):
    record = r.Address
    street = _text("street")
    postal_code = _text("postalCode", length=12)
    city = _text("city")


class PremiseSchema(RecordSchema):
    record = r.Premise
    id = _text("premiseId", length=64)
    address = fields.Nested(AddressSchema, data_key="address", required=True)
    kind = _enum(r.PremiseKind, "kind", optional=True)


class CustomerSchema(RecordSchema):
    record = r.Customer
    id = _text("customerId", length=64)
    name = _text("fullName")
    address = fields.Nested(AddressSchema, data_key="address", required=True)
    email = _text("email", optional=True, length=254)
    phone = _text("phone", optional=True, length=32)
    tax_id = _text("taxId", optional=True, length=16)
    tax_id_kind = _enum(r.TaxIdKind, "taxIdType", optional=True)
    premises = _many(PremiseSchema, "premises")
    payment_account = PaymentAccountField(data_key="paymentAccount", load_default=None, allow_none=True)


class ContractSchema(RecordSchema):
    record = r.Contract
    id = _text("contractId", length=64)
    number = _text("contractNumber", length=64)
    premise_id = _text("premiseId", length=64)
    signed_on = _date("signedOn", optional=True)
    valid_from = _date("validFrom", optional=True)
    valid_to = _date("validTo", optional=True)
    status = _enum(r.ContractStatus, "status")
    tariff_group = _text("tariffGroup", optional=True, length=64)
    billing_cycle = _text("billingCycle", optional=True, length=64)
    einvoice_consent = fields.Boolean(data_key="eInvoiceConsent", required=True)
    has_scan = fields.Boolean(data_key="hasScan", load_default=False)


class MeterSchema(RecordSchema):
    record = r.Meter
    id = _text("meterId", length=64)
    serial = _text("serialNumber", length=64)
    status = _enum(r.MeterStatus, "status")
    user = _text("userName", optional=True)
    premise_id = _text("premiseId", length=64)
    registered_on = _date("registeredOn", optional=True)
    tariff = _text("tariff", optional=True, length=64)
    diameter = _text("diameter", optional=True, length=16)
    legalisation_valid_until = _date("legalisationValidUntil", optional=True)
    installed_on = _date("installedOn", optional=True)
    removed_on = _date("removedOn", optional=True)
    replaces_meter_id = _text("replacesMeterId", optional=True, length=64)


class ReadingSchema(RecordSchema):
    record = r.Reading
    meter_id = _text("meterId", length=64)
    date = _date("readingDate")
    value = _money("value")
    consumption = _money("consumption", optional=True)
    type = _enum(r.ReadingType, "readingType")
    status = _enum(r.ReadingStatus, "status")


class WriteReceiptSchema(RecordSchema):
    record = r.WriteReceipt
    reference = _text("reference", length=64)
    status = _text("status", length=32)


class InvoiceLineSchema(RecordSchema):
    record = r.InvoiceLine
    description = _text("description")
    quantity = _money("quantity", optional=True)
    unit = _text("unit", optional=True, length=16)
    unit_price = _money("unitPrice", optional=True)
    vat_rate = _text("vatRate", optional=True, length=8)
    net = _money("netAmount", optional=True)
    vat = _money("vatAmount", optional=True)
    gross = _money("grossAmount")


class InvoiceSummarySchema(RecordSchema):
    record = r.InvoiceSummary
    id = _text("invoiceId", length=64)
    number = _text("invoiceNumber", length=64)
    ksef_number = _text("ksefNumber", optional=True, length=64)
    issued_on = _date("issueDate")
    period_from = _date("periodFrom", optional=True)
    period_to = _date("periodTo", optional=True)
    due_on = _date("dueDate")
    net = _money("netAmount", optional=True)
    vat = _money("vatAmount", optional=True)
    gross = _money("grossAmount")
    status = _enum(r.InvoiceStatus, "status")
    premise_id = _text("premiseId", optional=True, length=64)
    ksef_hash = _text("ksefHash", optional=True, length=64)
    ksef_offline = fields.Boolean(data_key="ksefOffline", load_default=False)


class InvoiceSchema(InvoiceSummarySchema):
    record = r.Invoice
    lines = _many(InvoiceLineSchema, "lines")


class SettlementEntrySchema(RecordSchema):
    record = r.SettlementEntry
    kind = _enum(r.SettlementKind, "entryType")
    document_number = _text("documentNumber", length=64)
    issued_on = _date("issueDate")
    due_on = _date("dueDate", optional=True)
    paid_on = _date("paymentDate", optional=True)
    amount = _money("amount")
    settled = _money("settledAmount")
    remaining = _money("remainingAmount")
    invoice_id = _text("invoiceId", optional=True, length=64)


class SettlementsSchema(RecordSchema):
    record = r.Settlements
    balance = _money("balance")
    entries = _many(SettlementEntrySchema, "entries")


class DocumentInfoSchema(RecordSchema):
    record = r.DocumentInfo
    id = _text("documentId", length=64)
    title = _text("title")
    category = _enum(r.DocumentCategory, "category")
    published_on = _date("publishedOn", optional=True)
    size = fields.Integer(data_key="sizeBytes", load_default=None, allow_none=True, strict=True,
                          validate=validate.Range(min=0, max=MAX_FILE_BYTES))
    content_type = _text("contentType", length=128)
    public = fields.Boolean(data_key="isPublic", required=True)


class FileContentSchema(RecordSchema):
    record = r.FileContent
    filename = _text("fileName", length=255)
    content_type = _text("contentType", length=128)
    content = BinaryField(data_key="content", required=True)


class ReplySchema(RecordSchema):
    record = r.Reply
    sent_at = _moment("sentAt")
    author = _text("author", optional=True)
    body = _text("body", length=20_000)


class MessageSchema(RecordSchema):
    record = r.Message
    id = _text("messageId", length=64)
    case_number = _text("caseNumber", length=64)
    kind = _enum(r.MessageKind, "messageType")
    subject = _text("subject")
    body = _text("body", length=20_000)
    sent_at = _moment("sentAt")
    status = _enum(r.MessageStatus, "status")
    premise_id = _text("premiseId", optional=True, length=64)
    invoice_id = _text("invoiceId", optional=True, length=64)
    attachment_names = fields.List(fields.String(), data_key="attachmentNames", load_default=list)
    replies = _many(ReplySchema, "replies")


def _first_error(messages: Any, path: tuple[str, ...] = ()) -> tuple[str, str]:
    """Walk marshmallow's nested error dict down to the first leaf: 'invoices.3.grossAmount'."""
    if isinstance(messages, dict) and messages:
        key, inner = next(iter(messages.items()))
        return _first_error(inner, path + (str(key),))
    if isinstance(messages, list) and messages:
        return ".".join(path) or "_schema", str(messages[0])
    return ".".join(path) or "_schema", str(messages)


def load_one(operation: str, schema: Schema, payload: Any) -> Any:
    """Validate one ERP payload, raising ErpBadResponse that names the operation and the field."""
    if not isinstance(payload, Mapping):
        raise ErpBadResponse(operation, f"expected an object, got {type(payload).__name__}")
    try:
        return schema.load(payload)
    except ValidationError as error:
        field, message = _first_error(error.messages)
        raise ErpBadResponse(operation, message, field=field) from None


def load_list(operation: str, schema: Schema, payload: Any, key: str) -> list[Any]:
    """Validate a list reply wrapped as {key: [...]}, the shape both protocols share."""
    if not isinstance(payload, Mapping):
        raise ErpBadResponse(operation, f"expected an object, got {type(payload).__name__}")
    items = payload.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ErpBadResponse(operation, "expected a list", field=key)
    if len(items) > MAX_LIST_ITEMS:
        raise ErpBadResponse(operation, "too many items", field=key)
    try:
        return list(schema.load(items, many=True))
    except ValidationError as error:
        field, message = _first_error(error.messages, (key,))
        raise ErpBadResponse(operation, message, field=field) from None


CUSTOMER = CustomerSchema()
CONTRACT = ContractSchema()
METER = MeterSchema()
READING = ReadingSchema()
RECEIPT = WriteReceiptSchema()
INVOICE_SUMMARY = InvoiceSummarySchema()
INVOICE = InvoiceSchema()
SETTLEMENTS = SettlementsSchema()
DOCUMENT_INFO = DocumentInfoSchema()
FILE_CONTENT = FileContentSchema()
MESSAGE = MessageSchema()


class Reply:
    """How an operation's reply is loaded: one object, or the list under `key`."""

    def __init__(self, schema: Schema, key: str | None = None) -> None:
        self.schema = schema
        self.key = key

    def load(self, operation: str, payload: Any) -> Any:
        if self.key is None:
            return load_one(operation, self.schema, payload)
        return load_list(operation, self.schema, payload, self.key)


# Every operation of adapters/core/operations.py, by name: tests/test_operations.py keeps the two in step.
REPLIES: Mapping[str, Reply] = {
    "get_customer": Reply(CUSTOMER),
    "list_contracts": Reply(CONTRACT, "contracts"),
    "get_contract_scan": Reply(FILE_CONTENT),
    "list_meters": Reply(METER, "meters"),
    "list_readings": Reply(READING, "readings"),
    "submit_reading": Reply(RECEIPT),
    "list_invoices": Reply(INVOICE_SUMMARY, "invoices"),
    "get_invoice": Reply(INVOICE),
    "get_invoice_pdf": Reply(FILE_CONTENT),
    "get_invoice_xml": Reply(FILE_CONTENT),
    "get_settlements": Reply(SETTLEMENTS),
    "list_documents": Reply(DOCUMENT_INFO, "documents"),
    "get_document": Reply(FILE_CONTENT),
    "send_message": Reply(RECEIPT),
    "list_messages": Reply(MESSAGE, "messages"),
    "set_einvoice_consent": Reply(RECEIPT),
    "record_payment": Reply(RECEIPT),
}
