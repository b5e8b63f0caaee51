"""The settlements ledger's rules on plain records: filters, paid and unpaid apart, overdue, totals, paging."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.core.records import SettlementEntry, SettlementKind, Settlements
from gateway.pages.settlements.ledger import (
    ALL,
    PAID,
    STATES,
    UNPAID,
    BalanceStatement,
    LedgerFilter,
    Totals,
    is_overdue,
    is_paid,
    select_entries,
    totals,
)
from gateway.pages.settlements.service import Ledger, export_rows, ledger_rows, settlements_view
from gateway.web.paging import paginate

TODAY = date(2026, 11, 27)


def entry(issued: date, amount: str = "100.00", settled: str = "100.00", kind=SettlementKind.INVOICE,
          due: date | None = None, invoice_id: str | None = None, number: str = "FV/1/2026") -> SettlementEntry:
    amount_d, settled_d = Decimal(amount), Decimal(settled)
    return SettlementEntry(kind, number, issued, due, None, amount_d, settled_d, amount_d - settled_d, invoice_id)


money = st.decimals(min_value=-1000, max_value=10_000, places=2)
entries = st.lists(
    st.builds(
        lambda issued, amount, part, kind, due: entry(issued, str(amount), str(amount * part / 4), kind, due),
        st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
        money,
        st.sampled_from([0, 1, 2, 4]).map(Decimal),
        st.sampled_from(SettlementKind),
        st.none() | st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
    ),
    max_size=60,
)
filters = st.builds(
    LedgerFilter,
    issued_from=st.none() | st.dates(min_value=date(2019, 6, 1), max_value=date(2028, 6, 1)),
    issued_to=st.none() | st.dates(min_value=date(2019, 6, 1), max_value=date(2028, 6, 1)),
    kind=st.none() | st.sampled_from(SettlementKind),
    state=st.sampled_from(STATES),
)


def wanted_here(row: SettlementEntry, wanted: LedgerFilter) -> bool:
    """The filters as the customer reads them, stated here rather than taken from the code under test."""
    return ((wanted.issued_from is None or row.issued_on >= wanted.issued_from)
            and (wanted.issued_to is None or row.issued_on <= wanted.issued_to)
            and (wanted.kind is None or row.kind is wanted.kind)
            and (wanted.state == ALL or (row.remaining == 0) == (wanted.state == PAID)))


@given(entries, filters)
def test_filters_never_return_a_row_outside_what_was_asked(items, wanted):
    for row in select_entries(items, wanted):
        assert wanted.issued_from is None or row.issued_on >= wanted.issued_from
        assert wanted.issued_to is None or row.issued_on <= wanted.issued_to
        assert wanted.kind is None or row.kind is wanted.kind
        assert wanted.state == ALL or is_paid(row) == (wanted.state == PAID)


@given(entries, filters)
def test_filters_lose_no_row_that_matches(items, wanted):
    chosen = select_entries(items, wanted)
    assert sorted(map(id, chosen)) == sorted(id(row) for row in items if wanted_here(row, wanted))
    assert len(select_entries(items, LedgerFilter())) == len(items)


@given(entries)
def test_unpaid_rows_come_first_then_paid_each_newest_first(items):
    chosen = select_entries(items, LedgerFilter())
    unpaid = [row for row in chosen if row.remaining != 0]
    paid = [row for row in chosen if row.remaining == 0]
    assert chosen == unpaid + paid
    for part in (unpaid, paid):
        assert [row.issued_on for row in part] == sorted((row.issued_on for row in part), reverse=True)


@given(entries, filters)
def test_totals_equal_the_sums_of_the_rows(items, wanted):
    chosen = select_entries(items, wanted)
    total = totals(chosen)
    assert total.count == len(chosen)
    assert total.amount == sum((row.amount for row in chosen), Decimal(0))
    assert total.settled == sum((row.settled for row in chosen), Decimal(0))
    assert total.remaining == sum((row.remaining for row in chosen), Decimal(0))
    unpaid = [row for row in chosen if row.remaining != 0]
    paid = [row for row in chosen if row.remaining == 0]
    assert totals(unpaid).amount + totals(paid).amount == total.amount


@given(entries, filters, st.integers(min_value=1, max_value=25))
def test_paging_covers_every_row_exactly_once(items, wanted, per_page):
    chosen = select_entries(items, wanted)
    pages = paginate(chosen, 1, per_page).pages
    seen = [row for number in range(1, pages + 1) for row in paginate(chosen, number, per_page).items]
    assert seen == chosen


@given(entries, filters)
def test_the_export_holds_exactly_the_rows_the_page_counts(items, wanted):
    ledger = Ledger(Settlements(Decimal(0), tuple(items)), {}, True)
    rows = export_rows(ledger, wanted, TODAY)
    view = settlements_view(ledger, wanted, 1, TODAY)
    assert [row.entry for row in rows] == select_entries(items, wanted)
    assert view.shown.count == len(rows) == view.unpaid.count + view.paid.count


# A ledger of seven written out by hand: three open (an invoice, a partly paid one, an unused overpayment),
# four settled; their document numbers name them below.
LEDGER = [
    entry(date(2026, 11, 5), "120.00", "0.00", due=date(2026, 11, 19), number="FV/10"),
    entry(date(2026, 10, 5), "80.00", "80.00", due=date(2026, 10, 19), number="FV/9"),
    entry(date(2026, 10, 14), "80.00", "80.00", SettlementKind.PAYMENT, number="WB/9"),
    entry(date(2026, 9, 5), "95.50", "40.00", due=date(2026, 9, 19), number="FV/8"),
    entry(date(2026, 8, 20), "250.00", "0.00", SettlementKind.OVERPAYMENT, number="NO/1"),
    entry(date(2026, 8, 5), "60.00", "60.00", due=date(2026, 8, 19), number="FV/7"),
    entry(date(2026, 7, 10), "3.20", "3.20", SettlementKind.INTEREST_NOTE, number="NO/2"),
]


@pytest.mark.parametrize("wanted, numbers", [
    (LedgerFilter(), ["FV/10", "FV/8", "NO/1", "WB/9", "FV/9", "FV/7", "NO/2"]),
    (LedgerFilter(state=UNPAID), ["FV/10", "FV/8", "NO/1"]),
    (LedgerFilter(state=PAID), ["WB/9", "FV/9", "FV/7", "NO/2"]),
    (LedgerFilter(kind=SettlementKind.INVOICE), ["FV/10", "FV/8", "FV/9", "FV/7"]),
    (LedgerFilter(kind=SettlementKind.INVOICE, state=PAID), ["FV/9", "FV/7"]),
    (LedgerFilter(date(2026, 8, 5), date(2026, 10, 5)), ["FV/8", "NO/1", "FV/9", "FV/7"]),
    (LedgerFilter(issued_from=date(2026, 10, 6)), ["FV/10", "WB/9"]),
    (LedgerFilter(issued_to=date(2026, 7, 10)), ["NO/2"]),
    (LedgerFilter(kind=SettlementKind.PAYMENT, state=UNPAID), []),
])
def test_examples_of_filters_and_the_order_of_the_rows(wanted, numbers):
    assert [row.document_number for row in select_entries(LEDGER, wanted)] == numbers


@pytest.mark.parametrize("wanted, expected", [
    (LedgerFilter(), Totals(7, Decimal("688.70"), Decimal("263.20"), Decimal("425.50"))),
    (LedgerFilter(state=UNPAID), Totals(3, Decimal("465.50"), Decimal("40.00"), Decimal("425.50"))),
    (LedgerFilter(state=PAID), Totals(4, Decimal("223.20"), Decimal("223.20"), Decimal("0.00"))),
    (LedgerFilter(kind=SettlementKind.PAYMENT, state=UNPAID), Totals()),
])
def test_examples_of_totals(wanted, expected):
    assert totals(select_entries(LEDGER, wanted)) == expected


def test_the_export_and_the_page_hold_the_same_rows_in_the_same_order():
    ledger = Ledger(Settlements(Decimal("425.50"), tuple(LEDGER)), {}, True)
    rows = export_rows(ledger, LedgerFilter(state=UNPAID), TODAY)
    assert [(row.entry.document_number, row.overdue) for row in rows] == [
        ("FV/10", True), ("FV/8", True), ("NO/1", False)]
    view = settlements_view(ledger, LedgerFilter(), 1, TODAY)
    assert [row.entry.document_number for row in view.unpaid_rows + view.paid_rows] == [
        "FV/10", "FV/8", "NO/1", "WB/9", "FV/9", "FV/7", "NO/2"]
    assert (view.shown.count, view.unpaid.count, view.paid.count) == (7, 3, 4)


@pytest.mark.parametrize("remaining, due, overdue", [
    ("10.00", TODAY - timedelta(days=1), True),
    ("10.00", TODAY, False),
    ("0.00", TODAY - timedelta(days=30), False),
    ("10.00", None, False),
    ("-10.00", TODAY - timedelta(days=1), False),
])
def test_overdue_means_money_still_owed_after_the_due_date(remaining, due, overdue):
    row = entry(date(2026, 10, 1), "100.00", str(Decimal(100) - Decimal(remaining)), due=due)
    assert is_overdue(row, TODAY) is overdue


def test_a_credit_not_yet_used_counts_as_unpaid_never_as_overdue():
    credit = entry(date(2026, 11, 7), "250.00", "0.00", SettlementKind.OVERPAYMENT)
    assert not is_paid(credit) and not is_overdue(credit, TODAY)
    assert select_entries([credit], LedgerFilter(state=UNPAID)) == [credit]


def test_the_date_range_includes_both_ends():
    rows = [entry(date(2026, 1, d)) for d in (1, 2, 3, 4)]
    chosen = select_entries(rows, LedgerFilter(date(2026, 1, 2), date(2026, 1, 3)))
    assert [row.issued_on.day for row in chosen] == [3, 2]


@pytest.mark.parametrize("balance, owes, overpaid, amount", [
    ("183.15", True, False, "183.15"), ("-250.00", False, True, "250.00"), ("0.00", False, False, "0.00"),
])
def test_the_balance_says_whether_the_customer_owes_or_has_an_overpayment(balance, owes, overpaid, amount):
    statement = BalanceStatement(Decimal(balance))
    assert (statement.owes, statement.overpaid, statement.amount) == (owes, overpaid, Decimal(amount))


def test_only_the_customers_own_invoices_are_linked_and_a_payment_links_as_for_an_invoice():
    invoice = entry(date(2026, 11, 5), invoice_id="INV-1", number="FV/1/2026")
    payment = entry(date(2026, 11, 14), kind=SettlementKind.PAYMENT, invoice_id="INV-1", number="WB/1")
    foreign = entry(date(2026, 11, 14), invoice_id="INV-OTHER", number="FV/9/2026")
    ledger = Ledger(Settlements(Decimal(0), (invoice, payment, foreign)), {"INV-1": "FV/1/2026"}, True)
    rows = ledger_rows(ledger, [invoice, payment, foreign], TODAY)
    assert [(row.invoice_number, row.is_the_invoice) for row in rows] == [
        ("FV/1/2026", True), ("FV/1/2026", False), (None, False)]
