"""An ERP that sends only what the contract requires: K-1006 (fixtures/demo/minimal.py) has no PESEL or NIP,
e-mail, phone, premise kind, contract dates, tariffs, meter details, billing periods, net/VAT split, document
dates or sizes, reply authors. Every page of the portal renders for that customer, through the in-process fake
and through both real adapters over the simulator: no 500, never the word "None", absent rows left out."""

from __future__ import annotations

import re

import pytest

from tests.hostile.checks import assert_safe, timed
from tests.hostile.conftest import signed_in_client
from tests.hostile.erp import PROTOCOLS

pytestmark = pytest.mark.sqlite_only(reason="the ERP's absent fields; the portal's database plays no part")

CUSTOMER, LOGIN = "K-1006", "zielinska"
UNPAID, PAID = "INV-1006-02", "INV-1006-01"
PAGES = [
    "/", "/contracts/", "/contracts/U-1006-1", "/meters/", "/meters/W-1006-1", "/readings/", "/readings/W-1006-1",
    "/readings/W-1006-1/readings.csv", "/invoices/", f"/invoices/{UNPAID}", f"/invoices/{PAID}",
    f"/invoices/{PAID}/preview", f"/invoices/{PAID}/download", "/settlements/", "/settlements/export.csv",
    "/downloads/", "/downloads/DOC-1006-1", "/messages/", "/messages/MSG-1006-1", "/messages/new",
    f"/messages/new?invoice={UNPAID}", "/settings/",
]
NONE_WORD = re.compile(r"\bNone\b")


@pytest.fixture(scope="module")
def adapter_clients(module_portal):
    """K-1006 signed in on one portal per protocol, each with its real adapter, breakers and cache."""
    return {protocol: signed_in_client(module_portal(protocol).app, LOGIN, CUSTOMER) for protocol in PROTOCOLS}


@pytest.fixture(params=["fake", *PROTOCOLS])
def client(request, sign_in_as):
    if request.param == "fake":
        return sign_in_as(LOGIN, CUSTOMER)
    return request.getfixturevalue("adapter_clients")[request.param]


def test_every_page_renders_without_the_optional_fields(client, logs):
    for url in PAGES:
        result = timed(client.get, url)
        assert_safe(result, logs, statuses=(200,))
        if result.response.mimetype != "application/pdf":
            assert not NONE_WORD.search(result.page), f"{url} shows None"


def test_the_start_page_shows_no_tax_id_and_no_premise_kind(client):
    page = client.get("/").get_data(as_text=True)
    assert "Teresa Zielińska" in page and "ul. Krótka 2, 47-100 Strzelce Opolskie" in page
    for absent in ("PESEL", "NIP</dt>", '<span class="tag">'):
        assert absent not in page


def test_an_invoice_without_the_vat_split_leaves_its_rows_and_columns_out(client):
    page = client.get(f"/invoices/{UNPAID}").get_data(as_text=True)
    assert "156,60 zł" in page and "62,64 zł" in page and "93,96 zł" in page
    for absent in ("Netto", "Stawka VAT", "Okres sprzedaży", "Ilość", "Cena jednostkowa netto"):
        assert absent not in page, absent


def test_an_invoice_line_with_a_quantity_but_no_price_shows_a_dash_for_the_price(client):
    page = client.get(f"/invoices/{PAID}").get_data(as_text=True)
    assert "8,9" in page and "m³" in page and "148,32 zł" in page
    assert re.search(r'data-label="Cena jednostkowa netto"[^>]*>—</td>', page)
    assert "Stawka VAT" not in page


def test_the_invoice_list_shows_a_dash_for_a_missing_sale_period(client):
    page = client.get("/invoices/").get_data(as_text=True)
    assert re.search(r'data-label="Okres sprzedaży">—</td>', page)


def test_a_contract_without_dates_or_tariff_shows_what_it_has(client):
    listing = client.get("/contracts/").get_data(as_text=True)
    assert "UM/2026/01006" in listing and "obowiązuje" not in listing
    details = client.get("/contracts/U-1006-1").get_data(as_text=True)
    for absent in ("Data podpisania", "Grupa taryfowa", "Okres rozliczeniowy", "Obowiązuje do"):
        assert absent not in details, absent


def test_a_meter_with_only_its_serial_shows_a_dash_for_its_legalisation(client):
    listing = client.get("/meters/").get_data(as_text=True)
    assert re.search(r'data-label="Legalizacja ważna do">\s*—\s*</td>', listing)
    details = client.get("/meters/W-1006-1").get_data(as_text=True)
    assert "ZX-1006" in details
    for absent in ("Użytkownik", "Data montażu", "Legalizacja ważna do", "Średnica"):
        assert absent not in details, absent


def test_a_document_of_unknown_date_and_size_shows_its_type_only(client):
    page = client.get("/downloads/").get_data(as_text=True)
    assert "Potwierdzenie zawarcia umowy" in page
    assert re.search(r'<span class="downloads-meta">PDF</span>', page)


def test_a_reply_without_its_author_shows_its_date(client):
    page = client.get("/messages/MSG-1006-1").get_data(as_text=True)
    assert '<p class="messages-reply-meta">03.10.2026 12:00</p>' in page
