"""The settlements page: the ledger with paid and unpaid apart, filters, overdue items, totals, balance, CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date, datetime

import pytest

from adapters.core.errors import ErpUnavailable
from adapters.core.records import Settlements
from gateway import clock
from tests.portal.doubles import ScriptedBilling

NOWAKS_INVOICE = "INV-202611-00132"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _page(client, query: str = "", status: int = 200) -> str:
    response = client.get(f"/settlements/?{query}")
    assert response.status_code == status, _text(response)[:500]
    return _text(response)


def _rows(page: str) -> list[str]:
    """The ledger rows' document numbers (the totals table has no document numbers)."""
    return re.findall(r'<th scope="row" data-label="Numer dokumentu">\s*(?:<a [^>]+>)?([^<\s]+)', page)


def _csv(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/settlements/export.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def test_the_balance_says_what_the_customer_owes(kowalski):
    page = _page(kowalski)
    assert "Do zapłaty: 183,15 zł." in page


def test_an_overpayment_is_called_one(sign_in_as):
    page = _page(sign_in_as("wisniewski", "K-1004"))
    assert "Mają Państwo nadpłatę w wysokości 250,00 zł." in page
    unpaid = page[page.index('id="unpaid-heading"'):page.index('id="paid-heading"')]
    assert "NP/2026/1004/001" in unpaid and "po terminie" not in unpaid, "unused credit is open, never overdue"


def test_unpaid_and_paid_are_shown_apart_with_overdue_items_marked_in_words(kowalski):
    page = _page(kowalski)
    unpaid = page[page.index('id="unpaid-heading"'):page.index('id="paid-heading"')]
    assert _rows(unpaid) == ["FV/00117/11/2026", "FV/00116/11/2026"]
    assert unpaid.count('class="is-overdue"') == 2 and unpaid.count("po terminie") == 2
    paid = page[page.index('id="paid-heading"'):]
    assert "is-overdue" not in paid and len(_rows(paid)) == 48, "50 rows a page, unpaid first"


def test_each_entry_shows_its_dates_and_amounts(kowalski):
    page = _page(kowalski, "state=unpaid")
    for text in ("05.11.2026", "19.11.2026", "14.11.2026", "34,29 zł", "17,15 zł", "17,14 zł", "166,01 zł"):
        assert text in page, text


def test_the_totals_cover_every_row_shown_and_each_side(kowalski):
    page = _page(kowalski)
    totals = page[page.index("totals-table"):page.index("</table>", page.index("totals-table"))]
    assert "Niezapłacone" in totals and "183,15 zł" in totals
    assert '<td data-label="Pozycje" class="num">129</td>' in totals


def test_document_numbers_link_to_the_customers_own_invoices(kowalski):
    page = _page(kowalski, "issued_from=2026-11-01")
    assert '<a href="/invoices/INV-202611-00117">FV/00117/11/2026</a>' in page
    assert 'do faktury <a href="/invoices/INV-202611-00117">FV/00117/11/2026</a>' in page, "a payment names its invoice"


class ForeignInvoiceLedger(ScriptedBilling):
    """An ERP whose ledger names an invoice that is not the customer's (a data error on its side)."""

    def get_settlements(self, customer_id):
        settlements = super().get_settlements(customer_id)
        first = dataclasses.replace(settlements.entries[0], invoice_id=NOWAKS_INVOICE)
        return Settlements(settlements.balance, (first, *settlements.entries[1:]))


def test_an_invoice_id_that_is_not_the_customers_gets_no_link(kowalski, app, billing):
    app.extensions["billing"] = ForeignInvoiceLedger(billing.inner)
    page = _page(kowalski)
    assert NOWAKS_INVOICE not in page and "FV/00132/11/2026" not in page


def test_without_the_invoice_list_the_ledger_still_shows_without_links(kowalski, billing):
    billing.fail("list_invoices", ErpUnavailable("list_invoices", "down"))
    page = _page(kowalski)
    assert "FV/00117/11/2026" in page and 'href="/invoices/INV-' not in page
    assert "Brakuje odnośników do szczegółów faktur" in page


def test_without_the_ledger_the_page_is_a_503(kowalski, billing):
    billing.fail("get_settlements", ErpUnavailable("get_settlements", "down"))
    assert kowalski.get("/settlements/").status_code == 503


@pytest.mark.parametrize("query", ["issued_from=2024-01-01&issued_to=2024-12-31",
                                   "issued_from=01.01.2024&issued_to=31.12.2024"])
def test_the_date_range_keeps_entries_issued_within_it(kowalski, query):
    page = _page(kowalski, query)
    assert '<td data-label="Pozycje" class="num">39</td>' in page
    assert 'value="2024-01-01"' in page and 'value="2024-12-31"' in page
    dates = re.findall(r'data-label="Data wystawienia">(\d\d\.\d\d\.\d{4})<', page)
    assert dates and all(d.endswith("2024") for d in dates)


def test_the_kind_filter_keeps_that_kind(kowalski):
    assert _rows(_page(kowalski, "kind=correction")) == ["FK/00007/12/2024"]


def test_paid_only_shows_no_unpaid_section(kowalski):
    page = _page(kowalski, "state=paid")
    assert 'id="unpaid-heading"' not in page and 'id="paid-heading"' in page
    assert _rows(page)[:5] == ["WB/2026/1001/016", "WB/2026/1001/015", "FV/00140/10/2026",
                               "WB/2026/1001/014", "WB/2026/1001/013"], "newest first"
    assert '<td data-label="Pozycje" class="num">127</td>' in page


def test_an_empty_result_says_so(kowalski):
    assert "Żadna pozycja nie spełnia warunków filtra." in _page(kowalski, "kind=overpayment")


@pytest.mark.parametrize("query, label", [
    ("issued_from=2024-13-01", "Wystawione od"),
    ("issued_to=yesterday", "Wystawione do"),
    ("kind=refund", "Rodzaj"),
    ("state=maybe", "Zapłacone czy niezapłacone"),
    ("page=x", "Strona"),
])
def test_a_malformed_parameter_is_400_with_a_message_and_the_ledger_still_shows(kowalski, query, label):
    page = _page(kowalski, query, status=400)
    assert f"Wartości podanej w polu „{label}” nie można użyć" in page
    assert "FV/00117/11/2026" in page


def test_a_range_that_ends_before_it_starts_is_400_and_ignored(kowalski):
    page = _page(kowalski, "issued_from=2025-01-01&issued_to=2024-01-01", status=400)
    assert "jest późniejsza niż data" in page
    assert '<td data-label="Pozycje" class="num">129</td>' in page


def test_the_csv_holds_exactly_what_the_filter_shows_in_polish_formats(kowalski):
    rows = _csv(kowalski, "state=unpaid")
    assert rows[0] == ["Rodzaj", "Numer dokumentu", "Faktura", "Data wystawienia", "Termin płatności",
                       "Data płatności", "Kwota", "Rozliczono", "Pozostało", "Zapłacone", "Po terminie"]
    assert rows[1] == ["faktura", "FV/00117/11/2026", "FV/00117/11/2026", "05.11.2026", "19.11.2026", "14.11.2026",
                       "34,29", "17,15", "17,14", "nie", "tak"]
    assert [row[1] for row in rows[1:]] == ["FV/00117/11/2026", "FV/00116/11/2026"]


def test_the_csv_has_every_row_of_every_page(kowalski):
    assert len(_csv(kowalski)) == 1 + 129
    assert len(_csv(kowalski, "issued_from=2024-01-01&issued_to=2024-12-31")) == 1 + 39


def test_the_csv_is_a_download_named_after_the_day(kowalski):
    response = kowalski.get("/settlements/export.csv")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and re.search(r"rozrachunki-\d{4}-\d\d-\d\d\.csv", disposition)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_csv_with_a_malformed_filter_is_the_page_with_its_message(kowalski):
    response = kowalski.get("/settlements/export.csv?issued_from=2025-01-01&issued_to=2024-01-01")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "jest późniejsza niż data" in _text(response)


def test_the_download_link_carries_the_filter(kowalski):
    page = _page(kowalski, "kind=payment&state=paid")
    assert 'href="/settlements/export.csv?kind=payment&amp;state=paid"' in page


def test_a_long_ledger_is_paged_from_three_erp_calls(sign_in_as, billing):
    client = sign_in_as("wspolnota", "K-1005")
    billing.calls.clear()
    page = _page(client, "page=40")
    assert "Strona 40 z 40" in page and len(_rows(page)) == 1990 - 39 * 50
    assert sorted(name for name, _ in billing.calls) == ["get_customer", "get_settlements", "list_invoices"]


def test_each_customer_sees_only_their_own_ledger(nowak):
    page = _page(nowak)
    assert "Do zapłaty: 138,38 zł." in page and "FV/00117/11/2026" not in page
    assert "NO/2026/1002/001" in page


def test_the_pages_need_a_signed_in_customer(client):
    for path in ("/settlements/", "/settlements/export.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(("zone", "day"), [("Europe/Warsaw", date(2026, 11, 20)), ("UTC", date(2026, 11, 19))])
def test_overdue_is_judged_on_the_calendar_day_of_the_configured_zone(app, monkeypatch, zone, day):
    """23:30 UTC is already the next day in Warsaw."""
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 11, 19, 23, 30))
    with app.app_context():
        assert clock.today() == day
