"""openapi.yaml checked against the code it describes, so the published contract cannot drift from it."""

from __future__ import annotations

import inspect
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import responses
import yaml
from marshmallow import Schema, fields, validate

import adapters
from adapters.core.operations import OPERATIONS, WRITES
from adapters.core.records import Attachment, MessageDraft, MessageKind, PaymentRecord, ReadingSubmission
from adapters.core.settings import ErpSettings
from adapters.rest.billing import RestBilling
from adapters.wire import payloads, schemas
from tests import rest_bodies as bodies

CONTRACT = Path(adapters.__file__).parent / "contract" / "openapi.yaml"
BASE = "http://erp.test/api/v1"

DOCUMENTED: dict[type[Schema], str] = {
    schemas.AddressSchema: "Address",
    schemas.PremiseSchema: "Premise",
    schemas.CustomerSchema: "Customer",
    schemas.ContractSchema: "Contract",
    schemas.MeterSchema: "Meter",
    schemas.ReadingSchema: "Reading",
    schemas.WriteReceiptSchema: "WriteReceipt",
    schemas.InvoiceLineSchema: "InvoiceLine",
    schemas.InvoiceSummarySchema: "InvoiceSummary",
    schemas.InvoiceSchema: "Invoice",
    schemas.SettlementEntrySchema: "SettlementEntry",
    schemas.SettlementsSchema: "Settlements",
    schemas.DocumentInfoSchema: "DocumentInfo",
    schemas.ReplySchema: "Reply",
    schemas.MessageSchema: "Message",
}
# Over REST a file is the body itself, with Content-Type and Content-Disposition: no JSON object.
NOT_JSON = {schemas.FileContentSchema}


@pytest.fixture(scope="module")
def doc():
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


def _operations(doc):
    """(operationId, method, path, operation) for every operation in the document."""
    return [
        (op["operationId"], method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "delete", "patch"}
    ]


def _component(doc, name):
    """A component's properties and required names, with allOf branches merged."""
    schema = doc["components"]["schemas"][name]
    parts = [_resolve(doc, part) for part in schema.get("allOf", [schema])]
    properties = {key: value for part in parts for key, value in part.get("properties", {}).items()}
    required = {key for part in parts for key in part.get("required", [])}
    return properties, required


def _resolve(doc, schema):
    if "$ref" in schema and "properties" not in schema:
        return doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _documented_shape(doc, prop):
    """What a property is, read from the document: (kind, detail, nullable)."""
    nullable = False
    if "oneOf" in prop:
        branches = [branch for branch in prop["oneOf"] if branch.get("type") != "null"]
        nullable = len(branches) < len(prop["oneOf"])
        prop = branches[0]
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return ("money", None, nullable) if name == "Money" else ("object", name, nullable)
    types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    nullable = nullable or "null" in types
    kind = next(t for t in types if t != "null")
    if kind == "array":
        return ("array", _documented_shape(doc, prop["items"])[:2], nullable)
    detail = prop.get("enum") or prop.get("format") or _lengths(prop)
    return (kind, detail, nullable)


def _lengths(prop):
    return (prop.get("minLength"), prop.get("maxLength")) if "maxLength" in prop else None


def _code_shape(field):
    """The same description, read from the marshmallow field."""
    if isinstance(field, fields.List):
        assert isinstance(field.inner, fields.Field)
        return ("array", _code_shape(field.inner)[:2], field.allow_none)
    simple: dict[type[fields.Field], str] = {fields.Decimal: "money", fields.Boolean: "boolean",
                                             fields.Integer: "integer"}
    for cls, kind in simple.items():
        if isinstance(field, cls):
            return (kind, None, field.allow_none)
    if isinstance(field, fields.Nested):
        return ("object", DOCUMENTED[type(field.schema)], field.allow_none)
    if isinstance(field, fields.Enum):
        return ("string", [member.value for member in field.enum], field.allow_none)
    if isinstance(field, fields.AwareDateTime):
        return ("string", "date-time", field.allow_none)
    if isinstance(field, fields.Date):
        return ("string", "date", field.allow_none)
    lengths = [v for v in field.validators if isinstance(v, validate.Length)]
    detail = (lengths[0].min, lengths[0].max) if lengths else None
    return ("string", detail, field.allow_none)


def test_contract_is_openapi_31_and_parses(doc):
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"]


def test_every_port_operation_is_in_the_contract_once(doc):
    ids = [operation_id for operation_id, *_ in _operations(doc)]
    assert sorted(ids) == sorted(OPERATIONS)


def test_writes_and_only_writes_change_state_and_carry_an_idempotency_key(doc):
    key = {"$ref": "#/components/parameters/IdempotencyKey"}
    for operation_id, method, _, op in _operations(doc):
        is_write = operation_id in WRITES
        assert (method != "get") == is_write, operation_id
        assert (key in op.get("parameters", [])) == is_write, operation_id
    assert doc["components"]["parameters"]["IdempotencyKey"]["in"] == "header"


def test_every_schema_in_the_code_is_documented_or_known_not_to_be_json():
    defined = {
        cls for _, cls in inspect.getmembers(schemas, inspect.isclass)
        if issubclass(cls, Schema) and cls.__module__ == schemas.__name__ and not cls.__name__.startswith("_")
    } - {schemas.RecordSchema}
    assert defined == set(DOCUMENTED) | NOT_JSON


@pytest.mark.parametrize("schema_cls", list(DOCUMENTED), ids=lambda cls: cls.__name__)
def test_component_matches_the_marshmallow_schema_field_for_field(doc, schema_cls):
    properties, required = _component(doc, DOCUMENTED[schema_cls])
    declared = {field.data_key: field for field in schema_cls().fields.values()}
    assert set(properties) == set(declared)
    assert required == {key for key, field in declared.items() if field.required}
    for key, field in declared.items():
        assert _documented_shape(doc, properties[key]) == _code_shape(field), key


def test_money_is_a_string_with_a_decimal_pattern(doc):
    money = doc["components"]["schemas"]["Money"]
    assert money["type"] == "string"
    for sample in ["123.45", "-7.00", "1234.567", "0"]:
        assert re.fullmatch(money["pattern"], sample)
    for sample in ["1e5", "1,50", "NaN", "12."]:
        assert not re.fullmatch(money["pattern"], sample)


def test_error_body_names_the_five_codes(doc):
    error = doc["components"]["schemas"]["Error"]["properties"]["error"]
    assert set(error["required"]) == {"code", "message"}
    codes = {"NOT_FOUND", "REJECTED", "INVALID", "UNAVAILABLE", "UNAUTHORIZED"}
    assert set(error["properties"]["code"]["enum"]) == codes


def test_basic_auth_and_mutual_tls_are_the_security_schemes(doc):
    schemes = doc["components"]["securitySchemes"]
    assert (schemes["basicAuth"]["type"], schemes["basicAuth"]["scheme"]) == ("http", "basic")
    assert schemes["mutualTLS"]["type"] == "mutualTLS"


def test_write_bodies_document_exactly_what_the_adapter_sends(doc):
    submission = ReadingSubmission("W-1", date(2025, 4, 30), Decimal("1.5"), "key")
    draft = MessageDraft(MessageKind.INQUIRY, "s", "b", "key", (Attachment("a.txt", "text/plain", b"x"),))
    sent = {
        "ReadingSubmission": payloads.reading_submission(submission),
        "MessageDraft": payloads.message_draft(draft),
        "Attachment": payloads.message_draft(draft)["attachments"][0],
        "EInvoiceConsent": {"enabled": True, "idempotencyKey": "key"},
        "PaymentRecord": payloads.payment_record(PAYMENT),
    }
    for name, payload in sent.items():
        properties, required = _component(doc, name)
        assert set(properties) == set(payload), name
        assert required <= set(payload), name


SUBMISSION = ReadingSubmission("W-1", date(2025, 4, 30), Decimal(1), "k")
PAYMENT = PaymentRecord("300000001", "przelewy24", datetime(2026, 12, 6, 8, 0, tzinfo=timezone.utc), Decimal("166.01"),
                        ("F-1",))
CALLS = {
    "get_customer": (("K-1001",), bodies.CUSTOMER),
    "list_contracts": (("K-1001",), {"contracts": []}),
    "get_contract_scan": (("K-1001", "U-1"), bodies.PDF),
    "list_meters": (("K-1001", "abc"), {"meters": []}),
    "list_readings": (("K-1001", "W-1"), {"readings": []}),
    "submit_reading": (("K-1001", SUBMISSION), bodies.RECEIPT),
    "list_invoices": (("K-1001",), {"invoices": []}),
    "get_invoice": (("K-1001", "F-1"), bodies.INVOICE),
    "get_invoice_pdf": (("K-1001", "F-1"), bodies.PDF),
    "get_invoice_xml": (("K-1001", "F-1"), bodies.FA3_XML),
    "get_settlements": (("K-1001",), bodies.SETTLEMENTS),
    "list_documents": (("K-1001",), {"documents": []}),
    "get_document": (("K-1001", "D-1"), bodies.PDF),
    "send_message": (("K-1001", MessageDraft(MessageKind.INQUIRY, "s", "b", "k")), bodies.RECEIPT),
    "list_messages": (("K-1001",), {"messages": []}),
    "set_einvoice_consent": (("K-1001", True, "k"), bodies.RECEIPT),
    "record_payment": (("K-1001", PAYMENT), bodies.RECEIPT),
}
PATH_IDS = {
    "customerId": "K-1001",
    "contractId": "U-1",
    "meterId": "W-1",
    "invoiceId": "F-1",
    "documentId": "D-1",
}


def test_calls_table_covers_the_port():
    assert set(CALLS) == set(OPERATIONS)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_adapter_calls_the_method_and_path_the_contract_gives(doc, operation_id):
    [(method, path, op)] = [(m, p, o) for i, m, p, o in _operations(doc) if i == operation_id]
    args, body = CALLS[operation_id]
    status = int(next(code for code in op["responses"] if code.startswith("2")))
    url = BASE + re.sub(r"\{(\w+)\}", lambda match: PATH_IDS[match.group(1)], path)
    with responses.RequestsMock() as erp:
        if isinstance(body, bytes):
            content_type = "application/xml" if body.startswith(b"<") else "application/pdf"
            erp.add(method.upper(), url, body=body, status=status, content_type=content_type)
        else:
            erp.add(method.upper(), url, json=body, status=status)
        getattr(RestBilling(ErpSettings(url=BASE)), operation_id)(*args)


def test_equal_days_in_erp_answers_are_one_object():
    """Cached answers share their billing days instead of each keeping its own date objects."""

    class Dated(Schema):
        day = schemas._date("day")
        maybe = schemas._date("maybe", optional=True)

    first, second = Dated().load({"day": "2026-11-27"}), Dated().load({"day": "2026-11-27", "maybe": "2026-11-27"})
    assert first["day"] == date(2026, 11, 27) and first["day"] is second["day"] is second["maybe"]
    assert first["maybe"] is None
