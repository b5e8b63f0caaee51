"""The mapping engine over a made-up REST ERP mocked at the HTTP layer: top/skip paging, a call per item, next
links kept to the ERP's address, hooks, ownership, the contract's order, and faults that name the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import responses

from adapters.kit import ErpBadResponse, ErpNotFound, ErpOptions, ErpSettings, MappingBilling, MappingCall
from tests.mapping.toml_parts import CONTRACT_FIELDS, HEADER, INVOICE_FIELDS

ERP = "http://erp.test/api"
MAPPING = HEADER + """
[operations.get_customer]
request = { path = "/clients/{customerId}" }
[operations.get_customer.fields]
customerId = "no"
fullName = { hook = "tests.mapping.test_engine:full_name" }
address = { at = "addr", fields = { street = "street", postalCode = "zip", city = "city" } }

[operations.list_contracts]
request = { path = "/clients/{customerId}/contracts" }
paging = { next = "next" }
items = "rows[*]"
[operations.list_contracts.fields]
{contract_fields}eInvoiceConsent = { path = "paperless", convert = "boolean", default = false }

[operations.list_invoices]
request = { path = "/clients/{customerId}/bills", query = { state = "all" } }
paging = { top = 2, top_param = "limit", skip_param = "offset" }
items = "ids[*]"
join = { path = "/bills/{@id}", at = "bill" }
[operations.list_invoices.fields]
{invoice_fields}
[operations.get_invoice]
request = { path = "/bills/{invoiceId}" }
at = "bill"
owner = "client"
[operations.get_invoice.fields]
{invoice_fields}
[operations.get_settlements]
hook = "tests.mapping.test_engine:settlements"
after = "tests.mapping.test_engine:with_balance"
""".replace("{invoice_fields}", INVOICE_FIELDS).replace("{contract_fields}", CONTRACT_FIELDS)


def full_name(node: Any, call: MappingCall) -> str:
    return f"{node['first']} {node['last']}"


def settlements(call: MappingCall) -> dict[str, Any]:
    ledger = call.get_json("/clients/{customerId}/ledger", {"year": "2026"})
    return {"entries": [{"entryType": "invoice", "documentNumber": row["no"], "issueDate": row["date"],
                         "amount": row["amount"], "settledAmount": "0", "remainingAmount": row["amount"]}
                        for row in ledger["rows"]]}


def with_balance(payload: dict[str, Any], call: MappingCall) -> dict[str, Any]:
    return {**payload, "balance": sum(Decimal(entry["remainingAmount"]) for entry in payload["entries"])}


def bill(bill_id: str, issued: str, gross: str = "10.00", state: str = "O", client: str = "C1") -> dict[str, Any]:
    return {"bill": {"id": bill_id, "no": f"FV/{bill_id}", "issued": issued, "due": "2026-12-31", "gross": gross,
                     "state": state, "client": client}}


@pytest.fixture(scope="module")
def erp(tmp_path_factory: pytest.TempPathFactory) -> MappingBilling:
    path = tmp_path_factory.mktemp("mapping") / "erp.toml"
    path.write_text(MAPPING, encoding="utf-8")
    settings = ErpSettings(url=ERP, options=ErpOptions({"mapping_file": str(path)}), deadline=5)
    return MappingBilling(settings)


def add_bills(ids: list[str], bodies: dict[str, dict[str, Any]]) -> None:
    for offset in range(0, len(ids) + 1, 2):
        responses.get(f"{ERP}/clients/C1/bills?state=all&limit=2&offset={offset}",
                      json={"ids": [{"id": bill_id} for bill_id in ids[offset:offset + 2]]})
    for bill_id, body in bodies.items():
        responses.get(f"{ERP}/bills/{bill_id}", json=body)


@responses.activate
def test_pages_of_top_items_are_read_until_a_short_one_and_each_item_joined_newest_first(erp):
    add_bills(["A", "B", "C"], {"A": bill("A", "2026-09-05"), "B": bill("B", "2026-11-05", state="P"),
                                "C": bill("C", "2026-10-05", gross="12.5")})
    invoices = erp.list_invoices("C1")
    assert [(i.id, i.issued_on, i.gross, i.status.value) for i in invoices] == [
        ("B", date(2026, 11, 5), Decimal("10.00"), "paid"), ("C", date(2026, 10, 5), Decimal("12.5"), "unpaid"),
        ("A", date(2026, 9, 5), Decimal("10.00"), "unpaid")]
    assert [call.request.url for call in responses.calls][:3] == [
        f"{ERP}/clients/C1/bills?state=all&limit=2&offset=0", f"{ERP}/clients/C1/bills?state=all&limit=2&offset=2",
        f"{ERP}/bills/A"]


@responses.activate
def test_a_value_a_converter_cannot_read_names_the_record_field_and_the_erps_path(erp):
    add_bills(["A", "B"], {"A": bill("A", "2026-09-05"), "B": bill("B", "2026-11-05", gross="12,30")})
    with pytest.raises(ErpBadResponse) as caught:
        erp.list_invoices("C1")
    assert str(caught.value) == "list_invoices: invoices.1.grossAmount: expected a decimal number (from path 'gross')"


@responses.activate
def test_a_code_no_enum_table_lists_is_a_reply_that_does_not_fit(erp):
    add_bills(["A"], {"A": bill("A", "2026-09-05", state="X")})
    with pytest.raises(ErpBadResponse) as caught:
        erp.list_invoices("C1")
    assert caught.value.field == "invoices.0.status"


@responses.activate
def test_a_reply_without_the_list_is_not_taken_for_an_empty_one(erp):
    responses.get(f"{ERP}/clients/C1/bills?state=all&limit=2&offset=0", json={"bills": []})
    with pytest.raises(ErpBadResponse) as caught:
        erp.list_invoices("C1")
    assert caught.value.field == "ids"


@responses.activate
def test_next_links_are_followed_on_the_erps_own_address_only(erp):
    responses.get(f"{ERP}/clients/C1/contracts", json={"rows": [
        {"id": "U1", "no": "UM/1", "site": "S1", "paperless": "X"}], "next": "contracts?page=2"})
    # A gateway behind a proxy writes its inner host name: the path and query are asked of the ERP's address.
    responses.get(f"{ERP}/clients/C1/contracts?page=2", json={"rows": [{"id": "U2", "no": "UM/2", "site": "S1"}],
                                                              "next": "http://sap-internal:8000/api/clients/C1/p3"})
    responses.get(f"{ERP}/clients/C1/p3", json={"rows": []})
    assert [(c.id, c.einvoice_consent) for c in erp.list_contracts("C1")] == [("U1", True), ("U2", False)]
    responses.get(f"{ERP}/clients/C2/contracts", json={"rows": [], "next": "http://elsewhere.test/steal"})
    with pytest.raises(ErpBadResponse) as caught:
        erp.list_contracts("C2")
    assert caught.value.field == "next"


@responses.activate
def test_another_clients_bill_is_not_found(erp):
    responses.get(f"{ERP}/bills/A", json=bill("A", "2026-09-05", client="C2"))
    with pytest.raises(ErpNotFound):
        erp.get_invoice("C1", "A")
    assert erp.get_invoice("C2", "A").number == "FV/A"


@responses.activate
def test_hooks_fill_what_the_file_cannot_say(erp):
    responses.get(f"{ERP}/clients/C1", json={"no": "C1", "first": "Jan", "last": "Nowak",
                                             "addr": {"street": "ul. Polna 1", "zip": "00-001", "city": "Opole"}})
    responses.get(f"{ERP}/clients/C1/ledger?year=2026", json={"rows": [
        {"no": "FV/1", "date": "2026-11-05", "amount": "10.50"}, {"no": "FV/2", "date": "2026-10-05", "amount": "4"}]})
    assert erp.get_customer("C1").name == "Jan Nowak"
    ledger = erp.get_settlements("C1")
    assert (ledger.balance, [entry.document_number for entry in ledger.entries]) == (Decimal("14.50"), ["FV/1", "FV/2"])


@responses.activate
def test_a_web_firewalls_html_page_is_a_reply_that_does_not_fit(erp):
    responses.get(f"{ERP}/clients/C1", body="<html>Request Rejected</html>", content_type="text/html")
    with pytest.raises(ErpBadResponse, match="expected application/json, got text/html"):
        erp.get_customer("C1")
