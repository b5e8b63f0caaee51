"""The fields an ERP may omit, stated once here and held to by the records, the schemas, the XSD and openapi.yaml:
absent or null, each becomes None; what the portal cannot work without (ids, names, amounts to pay, the dates
that drive money) stays required everywhere."""

from __future__ import annotations

import typing
from pathlib import Path
from types import NoneType, UnionType

import pytest
import yaml
from lxml import etree

import adapters
from adapters.soap.reply import read_object
from adapters.wire import schemas
from adapters.wire.schemas import load_one

CONTRACT = Path(adapters.__file__).parent / "contract"
XS = "{http://www.w3.org/2001/XMLSchema}"
ADDRESS = {"street": "ul. Krótka 2", "postalCode": "47-100", "city": "Strzelce Opolskie"}
MOMENT = "2026-10-03T12:00:00+02:00"

# The contract's type name → the schema, the fields an ERP may omit or send as null, and the least a reply holds.
OPTIONAL: dict[str, tuple[type[schemas.RecordSchema], set[str], dict[str, typing.Any]]] = {
    "Address": (schemas.AddressSchema, set(), ADDRESS),
    "Premise": (schemas.PremiseSchema, {"kind"}, {"premiseId": "P-1", "address": ADDRESS}),
    "Customer": (schemas.CustomerSchema, {"email", "phone", "taxId", "taxIdType", "paymentAccount"},
                 {"customerId": "K-1", "fullName": "Teresa Zielińska", "address": ADDRESS}),
    "Contract": (schemas.ContractSchema, {"signedOn", "validFrom", "validTo", "tariffGroup", "billingCycle"},
                 {"contractId": "U-1", "contractNumber": "UM/1", "premiseId": "P-1", "status": "active",
                  "eInvoiceConsent": False}),
    "Meter": (schemas.MeterSchema, {"userName", "registeredOn", "tariff", "diameter", "legalisationValidUntil",
                                    "installedOn", "removedOn", "replacesMeterId"},
              {"meterId": "W-1", "serialNumber": "ZX-1", "status": "active", "premiseId": "P-1"}),
    "Reading": (schemas.ReadingSchema, {"consumption"},
                {"meterId": "W-1", "readingDate": "2026-10-31", "value": "1.000", "readingType": "customer",
                 "status": "accepted"}),
    "WriteReceipt": (schemas.WriteReceiptSchema, set(), {"reference": "OD/1", "status": "pending"}),
    "InvoiceLine": (schemas.InvoiceLineSchema, {"quantity", "unit", "unitPrice", "vatRate", "netAmount", "vatAmount"},
                    {"description": "Dostawa wody", "grossAmount": "62.64"}),
    "InvoiceSummary": (schemas.InvoiceSummarySchema,
                       {"ksefNumber", "periodFrom", "periodTo", "netAmount", "vatAmount", "premiseId", "ksefHash"},
                       {"invoiceId": "F-1", "invoiceNumber": "FV/1", "issueDate": "2026-11-16",
                        "dueDate": "2026-11-30", "grossAmount": "156.60", "status": "unpaid"}),
    "SettlementEntry": (schemas.SettlementEntrySchema, {"dueDate", "paymentDate", "invoiceId"},
                        {"entryType": "payment", "documentNumber": "WB/1", "issueDate": "2026-09-28",
                         "amount": "148.32", "settledAmount": "148.32", "remainingAmount": "0.00"}),
    "Settlements": (schemas.SettlementsSchema, set(), {"balance": "156.60"}),
    "DocumentInfo": (schemas.DocumentInfoSchema, {"publishedOn", "sizeBytes"},
                     {"documentId": "D-1", "title": "Taryfa", "category": "tariff",
                      "contentType": "application/pdf", "isPublic": True}),
    "Reply": (schemas.ReplySchema, {"author"}, {"sentAt": MOMENT, "body": "Odpowiedź"}),
    "Message": (schemas.MessageSchema, {"premiseId", "invoiceId"},
                {"messageId": "M-1", "caseNumber": "ZG/1", "messageType": "inquiry", "subject": "Odczyt",
                 "body": "Pytanie", "sentAt": MOMENT, "status": "received"}),
}
# Lists and flags an ERP may leave out, meaning empty or false; never null.
DEFAULTED = {"Customer": {"premises"}, "Contract": {"hasScan"}, "Settlements": {"entries"},
             "Message": {"attachmentNames", "replies"}, "InvoiceSummary": {"ksefOffline"}}


def _nullable(record: typing.Any, attribute: str) -> bool:
    hint = typing.get_type_hints(record)[attribute]
    return isinstance(hint, UnionType) and NoneType in typing.get_args(hint)


def _wire_names(schema: type[schemas.RecordSchema]) -> dict[str, str]:
    return {str(field.data_key): name for name, field in schema().fields.items()}


@pytest.fixture(scope="module")
def xsd_types():
    tree = etree.parse(str(CONTRACT / "ibok-erp.xsd"))
    return {node.get("name"): node for node in tree.iter(f"{XS}complexType")}


@pytest.fixture(scope="module")
def openapi():
    return yaml.safe_load((CONTRACT / "openapi.yaml").read_text(encoding="utf-8"))["components"]["schemas"]


@pytest.mark.parametrize("name", OPTIONAL)
def test_the_records_optional_fields_are_the_contracts(name):
    schema, optional, _minimal = OPTIONAL[name]
    nullable = {wire for wire, attribute in _wire_names(schema).items() if _nullable(schema.record, attribute)}
    assert nullable == optional


@pytest.mark.parametrize("name", OPTIONAL)
def test_the_xsd_lets_optional_fields_be_absent_or_nil_and_no_other(name, xsd_types):
    _schema, optional, _minimal = OPTIONAL[name]
    elements = {element.get("name"): element for element in xsd_types[name].iter(f"{XS}element")}
    omissible = {key for key, element in elements.items() if element.get("minOccurs") == "0"}
    nillable = {key for key, element in elements.items() if element.get("nillable") == "true"}
    assert omissible == optional | DEFAULTED.get(name, set())
    assert nillable == optional


@pytest.mark.parametrize("name", OPTIONAL)
def test_openapi_requires_every_other_field_and_lets_optional_ones_be_null(name, openapi):
    schema, optional, _minimal = OPTIONAL[name]
    component = openapi[name]
    assert set(component["properties"]) - set(component["required"]) == optional | DEFAULTED.get(name, set())
    for key in optional:
        prop = component["properties"][key]
        branches = prop.get("oneOf", [prop])
        assert any("null" in branch.get("type", ()) for branch in branches), key


@pytest.mark.parametrize("name", OPTIONAL)
@pytest.mark.parametrize("how", ["absent", "null"])
def test_a_reply_without_the_optional_fields_loads_them_as_none(name, how):
    schema, optional, minimal = OPTIONAL[name]
    payload = minimal if how == "absent" else {**minimal, **dict.fromkeys(optional)}
    record = load_one("test", schema(), payload)
    names = _wire_names(schema)
    assert {key: getattr(record, names[key]) for key in optional} == dict.fromkeys(optional)


@pytest.mark.parametrize("name", [name for name, (_s, _o, minimal) in OPTIONAL.items() if len(minimal) > 1])
def test_each_required_field_is_still_required(name):
    schema, _optional, minimal = OPTIONAL[name]
    for key in minimal:
        with pytest.raises(schemas.ErpBadResponse) as refused:
            load_one("test", schema(), {k: v for k, v in minimal.items() if k != key})
        assert str(refused.value.field).split(".")[0] == key


def test_a_soap_reply_with_nil_or_empty_optional_elements_loads_them_as_none():
    inner = ('<erp:documentId>D-1</erp:documentId><erp:title>Taryfa</erp:title><erp:category>tariff</erp:category>'
             '<erp:publishedOn xsi:nil="true"/><erp:sizeBytes/><erp:contentType>application/pdf</erp:contentType>'
             "<erp:isPublic>true</erp:isPublic>")
    element = etree.fromstring(f'<erp:Reply xmlns:erp="urn:ibok:erp:v1" '
                               f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{inner}</erp:Reply>')
    document = load_one("list_documents", schemas.DOCUMENT_INFO,
                        read_object("list_documents", element, schemas.DOCUMENT_INFO))
    assert (document.id, document.published_on, document.size) == ("D-1", None, None)
