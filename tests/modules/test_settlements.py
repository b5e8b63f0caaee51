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


def _squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _section(page: str, start: str, end: str | None = None) -> str:
    """From the first `start` to the first `end` after it (or the page's end)."""
    at = page.index(start)
    return page[at:page.index(end, at) if end else len(page)]


def _counts(page: str) -> tuple[int, int]:
    """(charge rows, payment rows) as the totals name them: "(64 pozycje)"."""
    totals = _section(page, 'id="totals-heading"', "</dl>")
    found = re.findall(r"\((\d+) pozycj", totals)
    return int(found[0]), int(found[1])


@pytest.fixture
def demo_day(monkeypatch):
    """The day the demo dataset was made: what is overdue depends on it."""
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 27))


def _csv(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/settlements/export.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def test_the_balance_says_what_the_customer_owes_and_what_is_overdue_since_when(kowalski, demo_day):
    balance = _squeezed(_section(_page(kowalski), 'id="balance-heading"', 'class="card filters"'))
    assert "Do zapłaty 183,15 zł Po terminie 183,15 zł , nieopłacone od terminu płatności 19.11.2026" in balance
    assert "Innych należności Państwo nie mają" in balance and "brak należności" not in balance
    assert "FV/00117/11/2026 : pozostało 17,14 zł z 34,29 zł, termin płatności 19.11.2026" in balance
    assert "FV/00116/11/2026 : 166,01 zł, termin płatności 19.11.2026" in balance


def test_an_overpayment_is_called_one(sign_in_as):
    page = _page(sign_in_as("wisniewski", "K-1004"))
    assert "Nadpłata 250,00 zł" in _squeezed(_section(page, 'id="balance-heading"', 'class="card filters"'))
    still_open = _section(page, 'id="open-heading"', 'id="settled-heading"')
    assert "NP/2026/1004/001" in still_open and "po terminie" not in still_open, "unused credit is open, never overdue"
    assert "do rozliczenia" in still_open and "Wpłaty do rozliczenia 250,00 zł" in _squeezed(page)


def test_open_and_settled_are_shown_apart_with_overdue_items_marked_in_words(kowalski):
    page = _page(kowalski)
    still_open = _section(page, 'id="open-heading"', 'id="settled-heading"')
    assert _rows(still_open) == ["FV/00117/11/2026", "FV/00116/11/2026"]
    assert still_open.count('class="is-overdue"') == 2 and still_open.count("po terminie") == 2
    settled = _section(page, 'id="settled-heading"')
    assert "is-overdue" not in settled and len(_rows(settled)) == 18, "20 rows a page, open first"


def test_a_statement_puts_charges_under_winien_and_payments_under_ma(kowalski):
    page = _page(kowalski, "issued_from=2026-11-01")
    row = _squeezed(_section(page, "WB/2026/1001/016", "</tr>"))
    assert '<td data-label="Ma (wpłaty)" class="num amount">17,15 zł</td>' in _section(page, "WB/2026/1001/016",
                                                                                       "</tr>")
    assert "wpłata" in row and "rozliczona" in row and "zapłacon" not in row, "a payment is never called paid"
    invoice = _section(_section(page, 'id="open-heading"'), '<a href="/invoices/INV-202611-00117">', "</tr>")
    assert '<td data-label="Winien (obciążenia)" class="num amount">34,29 zł</td>' in invoice
    assert '<td data-label="Pozostało" class="num amount">17,14 zł</td>' in invoice
    assert "częściowo zapłacona 14.11.2026" in invoice, "a charge says when it was last paid"


def test_the_totals_each_mean_one_thing(kowalski):
    """Kowalski's 129 entries: 64 charges and 65 payments; charges minus payments is the balance."""
    totals = _squeezed(_section(_page(kowalski), 'id="totals-heading"', "</dl>"))
    assert "Winien (obciążenia) 8 709,26 zł (64 pozycje)" in totals
    assert "Ma (wpłaty) 8 526,11 zł (65 pozycji)" in totals
    assert "Pozostało do zapłaty 183,15 zł" in totals


def test_long_histories_are_grouped_by_year_with_a_link_to_each_year(kowalski):
    page = _page(kowalski, "page=2")
    assert re.findall(r"<caption>Wystawione w (\d{4}) r\.</caption>", page) == ["2026", "2025"]
    assert 'href="/settlements/?issued_from=2024-01-01&amp;issued_to=2024-12-31"' in page
    year = _page(kowalski, "issued_from=2024-01-01&issued_to=2024-12-31&state=settled")
    assert '<strong aria-current="true">2024</strong>' in year
    assert 'href="/settlements/?issued_from=2025-01-01&amp;issued_to=2025-12-31&amp;state=settled"' in year
    assert '<a href="/settlements/?state=settled">wszystkie lata</a>' in year


def test_each_entry_shows_its_dates_and_amounts(kowalski):
    page = _page(kowalski, "state=open")
    for text in ("05.11.2026", "19.11.2026", "14.11.2026", "34,29 zł", "17,14 zł", "166,01 zł", "częściowo zapłacona"):
        assert text in page, text


def test_the_totals_cover_every_row_shown(kowalski):
    assert sum(_counts(_page(kowalski))) == 129


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
    assert sum(_counts(page)) == 39
    assert 'value="2024-01-01"' in page and 'value="2024-12-31"' in page
    dates = re.findall(r'data-label="Data wystawienia">(\d\d\.\d\d\.\d{4})<', page)
    assert dates and all(d.endswith("2024") for d in dates)


def test_the_kind_filter_keeps_that_kind(kowalski):
    assert _rows(_page(kowalski, "kind=correction")) == ["FK/00007/12/2024"]


def test_settled_only_shows_no_open_section(kowalski):
    page = _page(kowalski, "state=settled")
    assert 'id="open-heading"' not in page and 'id="settled-heading"' in page
    assert _rows(page)[:5] == ["WB/2026/1001/016", "WB/2026/1001/015", "FV/00140/10/2026",
                               "WB/2026/1001/014", "WB/2026/1001/013"], "newest first"
    assert sum(_counts(page)) == 127


def test_an_empty_result_says_so(kowalski):
    assert "Żadna pozycja nie spełnia warunków filtra." in _page(kowalski, "kind=overpayment")


@pytest.mark.parametrize("query, label", [
    ("issued_from=2024-13-01", "Wystawione od"),
    ("issued_to=yesterday", "Wystawione do"),
    ("kind=refund", "Rodzaj"),
    ("state=paid", "Rozliczone czy nierozliczone"),
    ("page=x", "Strona"),
])
def test_a_malformed_parameter_is_400_with_a_message_and_the_ledger_still_shows(kowalski, query, label):
    page = _page(kowalski, query, status=400)
    assert f"Wartości podanej w polu „{label}” nie można użyć" in page
    assert "FV/00117/11/2026" in page


def test_a_range_that_ends_before_it_starts_is_400_and_ignored(kowalski):
    page = _page(kowalski, "issued_from=2025-01-01&issued_to=2024-01-01", status=400)
    assert "jest późniejsza niż data" in page
    assert sum(_counts(page)) == 129


def test_the_csv_holds_exactly_what_the_filter_shows_in_polish_formats(kowalski):
    rows = _csv(kowalski, "state=open")
    assert rows[0] == ["Rodzaj", "Numer dokumentu", "Faktura", "Data wystawienia", "Termin płatności",
                       "Data płatności", "Winien (obciążenia)", "Ma (wpłaty)", "Pozostało do zapłaty",
                       "Pozostało do rozliczenia", "Stan", "Po terminie"]
    assert rows[1] == ["faktura", "FV/00117/11/2026", "FV/00117/11/2026", "05.11.2026", "19.11.2026", "14.11.2026",
                       "34,29", "", "17,14", "0,00", "częściowo zapłacona", "tak"]
    assert [row[1] for row in rows[1:]] == ["FV/00117/11/2026", "FV/00116/11/2026"]


def test_the_csv_puts_a_payment_under_ma_and_never_calls_it_paid(kowalski):
    rows = _csv(kowalski, "kind=payment&issued_from=2026-11-01")
    assert rows[1] == ["wpłata", "WB/2026/1001/016", "FV/00117/11/2026", "14.11.2026", "", "14.11.2026",
                       "", "17,15", "0,00", "0,00", "rozliczona", "nie"]


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
    page = _page(kowalski, "kind=payment&state=settled")
    assert 'href="/settlements/export.csv?kind=payment&amp;state=settled"' in page


def test_a_long_ledger_is_paged_from_three_erp_calls(sign_in_as, billing):
    client = sign_in_as("wspolnota", "K-1005")
    billing.calls.clear()
    page = _page(client, "page=100")
    assert "Strona 100 z 100" in page and len(_rows(page)) == 1990 - 99 * 20
    assert sorted(name for name, _ in billing.calls) == ["get_customer", "get_settlements", "list_invoices"]


def test_each_customer_sees_only_their_own_ledger(nowak):
    page = _page(nowak)
    assert "Do zapłaty 138,38 zł" in _squeezed(page) and "FV/00117/11/2026" not in page
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
