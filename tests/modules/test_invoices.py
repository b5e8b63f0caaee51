"""The invoice pages: the list with filters, sorting and paging, the details with line items, the PDF."""

from __future__ import annotations

import json
import re
import time
from datetime import date

import pytest
from sqlalchemy import select

from adapters.core.errors import ErpUnavailable
from adapters.core.records import Settlements
from gateway import clock
from gateway.db.database import db
from gateway.db.models import AuditEntry
from tests.portal.doubles import ScriptedBilling

OWN = "INV-202611-00117"  # K-1001's FV/00117/11/2026: partly paid, overdue; a consumer's, outside KSeF
OWN_NUMBER = "FV/00117/11/2026"
WITHOUT_KSEF = "INV-202601-00131"  # K-1001's FV/00131/01/2026
NOWAKS = "INV-202611-00132"  # K-1002's FV/00132/11/2026
NOWAKS_NUMBER = "FV/00132/11/2026"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _numbers(page: str) -> list[str]:
    """Invoice numbers in the list's rows, in order."""
    return re.findall(r'<th scope="row" data-label="[^"]*"><a href="/invoices/[^"]+">([^<]+)</a>', page)


def _calls(billing, operation: str) -> list[tuple]:
    return [args for name, args in billing.calls if name == operation]


def test_the_list_shows_the_newest_twenty_with_their_details(kowalski):
    response = kowalski.get("/invoices/")
    page = _text(response)
    assert response.status_code == 200
    assert "Znaleziono 63 faktury. Strona 1 z 4." in page
    numbers = _numbers(page)
    assert len(numbers) == 20 and numbers[0] == OWN_NUMBER
    assert "05.11.2026" in page and "01.09.2026 – 31.10.2026" in page and "19.11.2026" in page
    assert "34,29 zł" in page and "częściowo zapłacona" in page


def test_paging_covers_every_invoice_once(kowalski):
    seen = [number for n in range(1, 5) for number in _numbers(_text(kowalski.get(f"/invoices/?page={n}")))]
    assert len(seen) == 63 and len(set(seen)) == 63


def test_a_page_past_the_last_shows_the_last(kowalski):
    page = _text(kowalski.get("/invoices/?page=99"))
    assert "Strona 4 z 4" in page and len(_numbers(page)) == 3


def test_the_pager_keeps_the_filter(kowalski):
    page = _text(kowalski.get("/invoices/?status=paid&sort=gross&order=asc"))
    assert 'href="/invoices/?status=paid&amp;sort=gross&amp;order=asc&amp;page=2"' in page


def test_only_years_with_invoices_are_offered(kowalski):
    page = _text(kowalski.get("/invoices/"))
    offered = re.findall(r'<option value="(\d{4})"', page)
    assert offered == ["2026", "2025", "2024", "2023"]


def test_the_year_filter_keeps_that_years_invoices(kowalski):
    page = _text(kowalski.get("/invoices/?year=2024"))
    assert "Znaleziono 18 faktur." in page
    assert all(number.endswith("/2024") for number in _numbers(page))


@pytest.mark.parametrize("status, expected", [("unpaid", ["FV/00116/11/2026"]), ("partly_paid", [OWN_NUMBER])])
def test_the_status_filter_keeps_only_that_status(kowalski, status, expected):
    assert _numbers(_text(kowalski.get(f"/invoices/?status={status}"))) == expected


def test_sorting_by_gross_amount_both_ways(kowalski):
    ascending = _numbers(_text(kowalski.get("/invoices/?sort=gross&order=asc")))
    descending = _numbers(_text(kowalski.get("/invoices/?sort=gross&order=desc")))
    assert ascending[0] == "FV/00154/01/2024" and descending[0] == "FV/00125/04/2025"


def test_sorting_by_due_date_ascending_starts_with_the_oldest(kowalski):
    assert _numbers(_text(kowalski.get("/invoices/?sort=due_date&order=asc")))[0] == "FV/00134/06/2023"


@pytest.mark.parametrize("query, label", [
    ("year=abc", "Rok"),
    ("year=1800", "Rok"),
    ("status=cancelled", "Status"),
    ("sort=amount", "Sortowanie według"),
    ("order=sideways", "Kolejność"),
    ("page=x", "Strona"),
])
def test_a_malformed_parameter_is_400_with_a_message_and_the_list_still_shows(kowalski, query, label):
    response = kowalski.get(f"/invoices/?{query}")
    page = _text(response)
    assert response.status_code == 400
    assert f"Wartości podanej w polu „{label}” nie można użyć" in page
    assert len(_numbers(page)) == 20


def test_a_year_without_invoices_is_400_and_every_year_is_shown(kowalski):
    response = kowalski.get("/invoices/?year=2019")
    assert response.status_code == 400
    assert "Nie ma faktur z roku 2019" in _text(response)
    assert "Znaleziono 63 faktury." in _text(response)


def test_an_unpaid_invoice_past_its_due_date_stands_out_with_words(kowalski):
    page = _text(kowalski.get("/invoices/"))
    first_row = page[page.index("<tbody>"):page.index(OWN_NUMBER) + 400]
    assert 'class="is-overdue"' in first_row and "po terminie" in first_row
    assert page.count('class="is-overdue"') == 2, "only the two unpaid invoices are overdue"


def test_an_empty_filter_result_says_so(kowalski):
    page = _text(kowalski.get("/invoices/?year=2023&status=unpaid"))
    assert "Żadna faktura nie spełnia warunków filtra." in page


def test_the_list_of_a_thousand_invoices_is_one_erp_call_and_fast(sign_in_as, billing):
    client = sign_in_as("wspolnota", "K-1005")
    billing.calls.clear()
    started = time.monotonic()
    page = _text(client.get("/invoices/?page=50&sort=gross"))
    elapsed = time.monotonic() - started
    assert "Znaleziono 1000 faktur. Strona 50 z 50." in page and len(_numbers(page)) == 20
    assert [name for name, _ in billing.calls] == ["list_invoices"]
    assert elapsed < 2, f"{elapsed:.2f} s"


def test_the_list_is_a_503_page_when_the_erp_is_down(kowalski, billing):
    billing.fail("list_invoices", ErpUnavailable("list_invoices", "down"))
    response = kowalski.get("/invoices/")
    assert response.status_code == 503


def test_the_details_show_every_field_and_the_line_items(kowalski):
    response = kowalski.get(f"/invoices/{OWN}")
    page = _text(response)
    assert response.status_code == 200
    for text in (OWN_NUMBER, "05.11.2026", "01.09.2026 – 31.10.2026",
                 "19.11.2026", "ROD „Pod Lipami”, działka nr 27", "31,75 zł", "2,54 zł", "34,29 zł",
                 "częściowo zapłacona", "po terminie"):
        assert text in page, text
    assert "Dostawa wody – wodomierz GRD19-008713" in page and "3,914" in page and "m³" in page
    assert "6,66 zł" in page and "8%" in page and "26,07 zł" in page and "28,16 zł" in page
    assert 'data-label="Ilość"' in page, "each cell names its column when rows stack on a phone"


def test_an_invoice_without_a_ksef_number_shows_no_such_field(kowalski):
    page = _text(kowalski.get(f"/invoices/{WITHOUT_KSEF}"))
    assert "FV/00131/01/2026" in page and "Numer KSeF" not in page


def test_the_details_show_the_premise_id_when_customer_data_is_missing(kowalski, billing):
    billing.fail("get_customer", ErpUnavailable("get_customer", "down"))
    response = kowalski.get(f"/invoices/{OWN}")
    assert response.status_code == 200 and "P-1001-2" in _text(response)


def _payable(page: str) -> str:
    """The line saying what remains to pay, tags dropped and spaces squeezed; "" when there is none."""
    found = re.search(r'<p class="payable[^"]*">(.*?)</p>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


@pytest.fixture
def demo_day(monkeypatch):
    """The day the demo dataset was made: whether a due date has passed depends on it."""
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 27))


def test_a_partly_paid_invoice_shows_what_is_left_and_that_its_due_date_has_passed(kowalski, demo_day):
    assert _payable(_text(kowalski.get(f"/invoices/{OWN}"))) == (
        "Pozostało do zapłaty: 17,14 zł (z 34,29 zł), termin płatności 19.11.2026 minął. po terminie")


def test_an_unpaid_invoice_not_yet_due_shows_the_whole_amount_and_by_when(sign_in_as, demo_day):
    page = _text(sign_in_as("zielinski", "K-1003").get("/invoices/INV-202611-00161"))
    assert _payable(page) == "Pozostało do zapłaty: 120,23 zł, termin płatności 30.11.2026."
    assert "po terminie" not in page


def test_a_paid_invoice_says_when_it_was_paid_in_full(kowalski, demo_day):
    page = _text(kowalski.get("/invoices/INV-202610-00140"))
    assert _payable(page) == "Zapłacona w całości 14.10.2026."
    assert "po terminie" not in page


def test_without_the_ledger_the_invoice_shows_its_status_only(kowalski, billing, demo_day):
    billing.fail("get_settlements", ErpUnavailable("get_settlements", "down"))
    response = kowalski.get(f"/invoices/{OWN}")
    page = _text(response)
    assert response.status_code == 200 and _payable(page) == ""
    assert "częściowo zapłacona" in page and "po terminie" in page, "the status and the due date still tell"


class LedgerWithout(ScriptedBilling):
    """An ERP whose ledger keeps no line for one invoice."""

    def get_settlements(self, customer_id):
        settlements = super().get_settlements(customer_id)
        return Settlements(settlements.balance, tuple(entry for entry in settlements.entries
                                                      if entry.invoice_id != OWN))


def test_an_invoice_without_a_ledger_line_shows_its_status_only(kowalski, app, billing):
    app.extensions["billing"] = LedgerWithout(billing.inner)
    page = _text(kowalski.get(f"/invoices/{OWN}"))
    assert _payable(page) == "" and "częściowo zapłacona" in page


def test_the_details_are_a_503_page_when_the_invoice_cannot_be_read(kowalski, billing):
    billing.fail("get_invoice", ErpUnavailable("get_invoice", "down"))
    assert kowalski.get(f"/invoices/{OWN}").status_code == 503


def _audit(app) -> list[AuditEntry]:
    with app.app_context():
        return list(db().scalars(select(AuditEntry).where(AuditEntry.action == "invoice.download")))


@pytest.mark.parametrize("route, disposition, inline", [("preview", "inline", True),
                                                        ("download", "attachment", False)])
def test_the_pdf_is_served_under_a_safe_name_and_audited(kowalski, app, route, disposition, inline):
    response = kowalski.get(f"/invoices/{OWN}/{route}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == f'{disposition}; filename="Faktura FV-00117-11-2026.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    [entry] = _audit(app)
    assert json.loads(entry.detail) == {"invoice_id": OWN, "inline": inline} and entry.login == "kowalski"


def test_a_pdf_the_erp_cannot_give_is_a_503_and_not_audited(kowalski, app, billing):
    billing.fail("get_invoice_pdf", ErpUnavailable("get_invoice_pdf", "down"))
    assert kowalski.get(f"/invoices/{OWN}/download").status_code == 503
    assert _audit(app) == []


@pytest.mark.parametrize("suffix", ["", "/preview", "/download"])
def test_another_customers_invoice_is_404_and_never_asked_for(kowalski, app, billing, suffix):
    response = kowalski.get(f"/invoices/{NOWAKS}{suffix}")
    assert response.status_code == 404
    assert NOWAKS_NUMBER not in _text(response)
    assert not [args for name, args in billing.calls if NOWAKS in args]
    assert _audit(app) == []


@pytest.mark.parametrize("invoice_id", ["INV-999999-99999", "..", "INV%2F1", "x" * 80])
def test_an_unknown_or_malformed_invoice_id_is_404(kowalski, billing, invoice_id):
    assert kowalski.get(f"/invoices/{invoice_id}").status_code == 404
    assert not _calls(billing, "get_invoice")


def test_the_owner_sees_what_the_stranger_may_not(nowak):
    assert nowak.get(f"/invoices/{NOWAKS}").status_code == 200
    assert nowak.get(f"/invoices/{OWN}").status_code == 404


def test_the_pages_need_a_signed_in_customer(client):
    for path in ("/invoices/", f"/invoices/{OWN}", f"/invoices/{OWN}/download"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("language, number, status, download", [
    ("pl", 'data-label="Numer"', "częściowo zapłacona", ">Pobierz</a>"),
    ("en", 'data-label="Number"', "partly paid", ">Download</a>"),
])
def test_every_row_names_its_columns_and_status_in_the_page_language(kowalski, language, number, status, download):
    """The labels are translated once per page (not per row), in the language of that page."""
    kowalski.set_cookie("ibok_lang", language)
    page = _text(kowalski.get("/invoices/"))
    assert page.count(number) == 20 and page.count(download) == 20
    assert status in page


def test_the_invoice_page_reads_the_customer_once_for_its_premise_and_its_how_to_pay_box(kowalski, billing):
    billing.calls.clear()
    page = _text(kowalski.get("/invoices/INV-202611-00117"))
    assert "Jak zapłacić" in page and "62 9990 0012 0000 0000 0000 1001" in page
    assert [name for name, _ in billing.calls].count("get_customer") == 1
