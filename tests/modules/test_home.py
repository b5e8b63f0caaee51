"""The start page: customer data, balance, last readings and latest invoices, gathered concurrently."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from adapters.errors import ErpUnavailable
from adapters.records import SettlementEntry, SettlementKind, Settlements
from gateway.home.dashboard import summarise
from tests.portal.doubles import ScriptedBilling


def _page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_start_page_shows_the_customer_balance_meters_and_invoices(kowalski):
    page = _page(kowalski)
    assert "Jan Kowalski" in page and "K-1001" in page
    assert "183,15 zł" in page
    assert "JS25-1187342" in page and "GRD19-008713" in page
    assert "SW19-0042187" not in page, "a removed meter has no last reading to show"
    assert "FV/00117/11/2026" in page and "FV/00141/09/2026" in page
    assert page.count("FV/") == 5


def test_each_customer_sees_only_their_own_start_page(nowak):
    page = _page(nowak)
    assert "Anna Nowak" in page and "Jan Kowalski" not in page and "JS25-1187342" not in page


def test_a_part_whose_call_failed_shows_a_notice_while_the_rest_renders(kowalski, billing):
    billing.fail("get_settlements", ErpUnavailable("get_settlements", "down"))
    page = _page(kowalski)
    assert "Saldo – nie można teraz wyświetlić" in page
    assert "Jan Kowalski" in page and "FV/00117/11/2026" in page


def test_the_page_renders_even_when_every_call_fails(kowalski, billing):
    for operation in ("get_customer", "get_settlements", "list_invoices", "list_meters"):
        billing.fail(operation, ErpUnavailable(operation, "down"))
    page = _page(kowalski)
    assert page.count("nie można teraz wyświetlić") == 4


class SlowBilling(ScriptedBilling):
    """Every read takes a while, as a real ERP's do."""

    def _call(self, operation, *args):
        time.sleep(0.2)
        return super()._call(operation, *args)


def test_the_erp_calls_run_concurrently(kowalski, app, billing):
    app.extensions["billing"] = SlowBilling(billing.inner)
    started = time.monotonic()
    _page(kowalski)
    elapsed = time.monotonic() - started
    assert elapsed < 0.2 * 6 * 0.6, f"four calls and two readings one after another would take 1.2 s: {elapsed:.2f}"


def _entry(due: date | None, remaining: str, amount: str = "100.00") -> SettlementEntry:
    amount_d, remaining_d = Decimal(amount), Decimal(remaining)
    return SettlementEntry(SettlementKind.INVOICE, "FV", date(2026, 1, 1), due, None, amount_d,
                           amount_d - remaining_d, remaining_d)


def test_the_balance_summary_separates_overdue_from_what_is_due_next():
    entries = (_entry(date(2026, 10, 1), "40.00"), _entry(date(2026, 12, 10), "100.00"),
               _entry(date(2026, 12, 10), "20.00"), _entry(date(2026, 12, 20), "30.00"),
               _entry(date(2026, 9, 1), "0.00"), _entry(None, "15.00"))
    summary = summarise(Settlements(Decimal("190.00"), entries), today=date(2026, 11, 27))
    assert summary.overdue == Decimal("40.00")
    assert (summary.next_due, summary.next_due_amount) == (date(2026, 12, 10), Decimal("120.00"))
    assert summary.owes


def test_nothing_open_means_nothing_due():
    summary = summarise(Settlements(Decimal("-25.00"), (_entry(date(2026, 9, 1), "0.00"),)), date(2026, 11, 27))
    assert (summary.overdue, summary.next_due, summary.owes) == (Decimal("0"), None, False)
