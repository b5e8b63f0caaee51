"""The example plugin in docs/adapters.md, built as the portal builds any adapter, against AquaBill's replies."""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal

import pytest
import responses
from flask import Config

from adapters.kit import Address, ErpBadResponse, ErpNotFound, ErpUnavailable, InvoiceStatus, Premise, PremiseKind
from gateway.app import CONFIG_DIR
from gateway.erp.billing import build_adapter

URL = "https://aquabill.test/api"
PLUGIN = "tests.kit.example_plugin:AquaBillBilling"
PDF = b"%PDF-1.4 faktura"


def config(**overrides):
    defaults = Config(str(CONFIG_DIR))
    defaults.from_pyfile(str(CONFIG_DIR / "defaults.py"))
    return {**defaults, "ERP_ADAPTER": PLUGIN, "ERP_URL": URL, "ERP_AUTH": "bearer", "ERP_TOKEN": "t0k3n",
            "ERP_OPTIONS": {"tenant": "wodociagi-1"}, **overrides}


def bill(number, client="C-1", issued="05.11.2026", gross="123,00"):
    return {"id": f"B-{number}", "client": client, "number": f"FV/{number}/2026", "issued": issued,
            "from": "01.10.2026", "to": "31.10.2026", "due": "19.11.2026", "net": "100,00", "vat": "23,00",
            "gross": gross, "state": "open", "site": "S-1"}


CLIENT = {"no": "C-1", "name": "Anna Nowak", "address": "ul. Wodna 5, 00-950 Warszawa", "mail": "a@example.pl",
          "nip": "5260250274", "sites": [{"id": "S-1", "address": "ul. Polna 2, 05-500 Piaseczno", "type": "H"}]}


@pytest.fixture()
def port():
    return build_adapter(config())


@responses.activate
def test_a_client_becomes_the_ports_customer(port):
    responses.get(f"{URL}/clients/C-1?tenant=wodociagi-1", json=CLIENT)
    customer = port.get_customer("C-1")
    assert (customer.id, customer.name, customer.tax_id) == ("C-1", "Anna Nowak", "5260250274")
    assert customer.address == Address("ul. Wodna 5", "00-950", "Warszawa")
    assert customer.premises == (Premise("S-1", Address("ul. Polna 2", "05-500", "Piaseczno"), PremiseKind.HOUSE),)
    assert responses.calls[0].request.headers["Authorization"] == "Bearer t0k3n"


@responses.activate
def test_bills_are_joined_into_invoices_newest_first_with_decimal_money(port):
    responses.get(f"{URL}/clients/C-1/bills?tenant=wodociagi-1", json={"ids": ["B-1", "B-2"]})
    responses.get(f"{URL}/bills/B-1?tenant=wodociagi-1", json=bill(1, issued="05.10.2026"))
    responses.get(f"{URL}/bills/B-2?tenant=wodociagi-1", json=bill(2, gross="1 230,50"))
    invoices = port.list_invoices("C-1")
    assert [invoice.number for invoice in invoices] == ["FV/2/2026", "FV/1/2026"]
    assert invoices[0].gross == Decimal("1230.50")
    assert invoices[0].issued_on == date(2026, 11, 5)
    assert invoices[0].status is InvoiceStatus.UNPAID


@responses.activate
def test_another_clients_bill_is_not_found_and_its_pdf_never_asked_for(port):
    responses.get(f"{URL}/bills/B-9?tenant=wodociagi-1", json=bill(9, client="C-2"))
    with pytest.raises(ErpNotFound):
        port.get_invoice_pdf("C-1", "B-9")
    assert len(responses.calls) == 1


@responses.activate
def test_the_invoice_pdf_is_served_with_a_safe_name(port):
    responses.get(f"{URL}/bills/B-1?tenant=wodociagi-1", json=bill(1))
    responses.get(f"{URL}/bills/B-1/print?tenant=wodociagi-1", body=PDF, content_type="application/pdf",
                  headers={"Content-Disposition": 'attachment; filename="../../etc/FV-1.pdf"'})
    pdf = port.get_invoice_pdf("C-1", "B-1")
    assert (pdf.filename, pdf.content_type, pdf.content) == ("FV-1.pdf", "application/pdf", PDF)


@responses.activate
def test_an_unknown_client_is_not_found(port):
    responses.get(f"{URL}/clients/C-404?tenant=wodociagi-1", status=404, json={"error": "no client"})
    with pytest.raises(ErpNotFound):
        port.get_customer("C-404")


@responses.activate
def test_a_missing_field_is_named_in_the_contracts_words(port):
    responses.get(f"{URL}/clients/C-1?tenant=wodociagi-1", json={**CLIENT, "name": None})
    with pytest.raises(ErpBadResponse) as raised:
        port.get_customer("C-1")
    assert raised.value.field == "fullName"


@responses.activate
def test_a_join_of_many_calls_shares_one_deadline():
    """Eight calls of 0.1 s each fit a 0.3 s deadline one by one, never all together."""
    port = build_adapter(config(ERP_DEADLINE=0.3))

    def slow(request):
        time.sleep(0.1)
        return 200, {"Content-Type": "application/json"}, json.dumps(bill(1))

    responses.get(f"{URL}/clients/C-1/bills?tenant=wodociagi-1", json={"ids": [f"B-{n}" for n in range(8)]})
    for number in range(8):
        responses.add_callback("GET", f"{URL}/bills/B-{number}?tenant=wodociagi-1", callback=slow)
    started = time.monotonic()
    with pytest.raises(ErpUnavailable):
        port.list_invoices("C-1")
    assert time.monotonic() - started < 0.55
    assert len(responses.calls) <= 4, "calls after the deadline are never sent"
