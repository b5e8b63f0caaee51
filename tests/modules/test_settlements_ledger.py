"""The settlements statement's rules on plain records: sides, filters, open and settled apart, totals, paging."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.core.records import SettlementEntry, SettlementKind, Settlements
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway.erp.dues import is_overdue, summarise
from gateway.pages.settlements.ledger import (
    ALL,
    OPEN,
    PAID,
    PARTLY_PAID,
    PARTLY_SETTLED,
    SETTLED,
    STATES,
    TO_PAY,
    TO_SETTLE,
    USED,
    LedgerFilter,
    Totals,
    is_settled,
    select_entries,
    state_of,
    totals,
    years,
)
from gateway.pages.settlements.service import Ledger, export_rows, ledger_rows, settlements_view
from gateway.web.paging import paginate
from tests.modules.ledgers import RECEIVED, erp_ledgers

TODAY = date(2026, 11, 27)


def entry(issued: date, amount: str = "100.00", settled: str = "100.00", kind=SettlementKind.INVOICE,
          due: date | None = None, invoice_id: str | None = None, number: str = "FV/1/2026") -> SettlementEntry:
    amount_d, settled_d = Decimal(amount), Decimal(settled)
    return SettlementEntry(kind, number, issued, due, None, amount_d, settled_d, amount_d - settled_d, invoice_id)


money = st.decimals(min_value=-1000, max_value=10_000, places=2)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31))
entries = st.lists(
    st.builds(
        lambda issued, amount, part, kind, due: entry(issued, str(amount), str(amount * part / 4), kind, due),
        days, money, st.sampled_from([0, 1, 2, 4]).map(Decimal), st.sampled_from(SettlementKind),
        st.none() | days,
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


def debit_here(row: SettlementEntry) -> Decimal:
    """Winien as a Polish statement has it, stated here: what adds to the debt, money received taken back."""
    effect = -row.amount if row.kind in RECEIVED else row.amount
    return max(effect, Decimal(0))


def credit_here(row: SettlementEntry) -> Decimal:
    effect = -row.amount if row.kind in RECEIVED else row.amount
    return max(-effect, Decimal(0))


def wanted_here(row: SettlementEntry, wanted: LedgerFilter) -> bool:
    """The filters as the customer reads them, stated here rather than taken from the code under test."""
    return ((wanted.issued_from is None or row.issued_on >= wanted.issued_from)
            and (wanted.issued_to is None or row.issued_on <= wanted.issued_to)
            and (wanted.kind is None or row.kind is wanted.kind)
            and (wanted.state == ALL or (row.remaining == 0) == (wanted.state == SETTLED)))


@given(erp_ledgers())
def test_the_balance_is_charges_minus_payments(settlements):
    total = totals(settlements.entries)
    assert total.charges - total.payments == settlements.balance
    assert total.left_to_pay - total.left_to_use == settlements.balance


@pytest.mark.parametrize("customer_id", ["K-1001", "K-1002", "K-1003", "K-1004", "K-1005"])
def test_the_demo_ledgers_balance_as_charges_minus_payments(customer_id):
    settlements = FakeBilling(DemoStore.load()).get_settlements(customer_id)
    total = totals(settlements.entries)
    assert total.charges - total.payments == settlements.balance
    assert total.charge_count + total.payment_count == len(settlements.entries)


@given(entries, filters)
def test_each_total_is_the_sum_of_the_rows_it_names(items, wanted):
    chosen = select_entries(items, wanted)
    total = totals(chosen)
    charges = [row for row in chosen if debit_here(row) > 0]
    payments = [row for row in chosen if credit_here(row) > 0]
    assert total.count == len(chosen)
    assert total.charges == sum((debit_here(row) for row in charges), Decimal(0))
    assert total.payments == sum((credit_here(row) for row in payments), Decimal(0))
    nothing = [row for row in chosen if debit_here(row) == credit_here(row) == 0]
    assert total.charge_count == len(charges) + sum(1 for row in nothing if row.kind not in RECEIVED)
    assert total.payment_count == len(payments) + sum(1 for row in nothing if row.kind in RECEIVED)


@given(entries, filters, st.integers(min_value=1, max_value=3))
def test_the_totals_are_the_sums_of_the_rows_on_every_page_together(items, wanted, first_page):
    ledger = Ledger(Settlements(Decimal(0), tuple(items)), {}, True)
    view = settlements_view(ledger, wanted, first_page, TODAY)
    rows = [row for number in range(1, view.page.pages + 1)
            for page in [settlements_view(ledger, wanted, number, TODAY)]
            for row in page.open_rows + [row for group in page.settled_years for row in group.rows]]
    assert [row.entry for row in rows] == select_entries(items, wanted)
    assert view.shown.charges == sum((row.charge for row in rows), Decimal(0))
    assert view.shown.payments == sum((row.credit for row in rows), Decimal(0))
    assert view.shown.left_to_pay == sum((row.left_to_pay for row in rows), Decimal(0))
    assert view.open.count + view.settled.count == view.shown.count == len(rows)


@given(entries)
def test_money_received_is_never_called_paid(items):
    for row in items:
        if row.kind in RECEIVED and row.amount > 0:
            assert state_of(row) in (TO_SETTLE, PARTLY_SETTLED, USED)
        if row.kind not in RECEIVED and row.amount > 0:
            assert state_of(row) in (TO_PAY, PARTLY_PAID, PAID)


@given(entries, filters)
def test_filters_never_return_a_row_outside_what_was_asked(items, wanted):
    for row in select_entries(items, wanted):
        assert wanted.issued_from is None or row.issued_on >= wanted.issued_from
        assert wanted.issued_to is None or row.issued_on <= wanted.issued_to
        assert wanted.kind is None or row.kind is wanted.kind
        assert wanted.state == ALL or is_settled(row) == (wanted.state == SETTLED)


@given(entries, filters)
def test_filters_lose_no_row_that_matches(items, wanted):
    chosen = select_entries(items, wanted)
    assert sorted(map(id, chosen)) == sorted(id(row) for row in items if wanted_here(row, wanted))
    assert len(select_entries(items, LedgerFilter())) == len(items)


@given(entries)
def test_open_rows_come_first_then_settled_each_newest_first(items):
    chosen = select_entries(items, LedgerFilter())
    still_open = [row for row in chosen if row.remaining != 0]
    settled = [row for row in chosen if row.remaining == 0]
    assert chosen == still_open + settled
    for part in (still_open, settled):
        assert [row.issued_on for row in part] == sorted((row.issued_on for row in part), reverse=True)


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
    assert view.shown.count == len(rows) == view.open.count + view.settled.count


# A ledger of seven written out by hand: three open (an invoice, a partly paid one, an unused overpayment),
# four settled; their document numbers name them below.
LEDGER = [
    entry(date(2026, 11, 5), "120.00", "0.00", due=date(2026, 11, 19), number="FV/10"),
    entry(date(2026, 10, 5), "80.00", "80.00", due=date(2026, 10, 19), number="FV/9"),
    entry(date(2026, 10, 14), "80.00", "80.00", SettlementKind.PAYMENT, number="WB/9"),
    entry(date(2026, 9, 5), "95.50", "40.00", due=date(2026, 9, 19), number="FV/8"),
    entry(date(2026, 8, 20), "250.00", "0.00", SettlementKind.OVERPAYMENT, number="NO/1"),
    entry(date(2025, 8, 5), "60.00", "60.00", due=date(2025, 8, 19), number="FV/7"),
    entry(date(2025, 7, 10), "-3.20", "-3.20", SettlementKind.CORRECTION, number="FK/2"),
]


@pytest.mark.parametrize("wanted, numbers", [
    (LedgerFilter(), ["FV/10", "FV/8", "NO/1", "WB/9", "FV/9", "FV/7", "FK/2"]),
    (LedgerFilter(state=OPEN), ["FV/10", "FV/8", "NO/1"]),
    (LedgerFilter(state=SETTLED), ["WB/9", "FV/9", "FV/7", "FK/2"]),
    (LedgerFilter(kind=SettlementKind.INVOICE), ["FV/10", "FV/8", "FV/9", "FV/7"]),
    (LedgerFilter(kind=SettlementKind.INVOICE, state=SETTLED), ["FV/9", "FV/7"]),
    (LedgerFilter(date(2025, 8, 5), date(2026, 10, 5)), ["FV/8", "NO/1", "FV/9", "FV/7"]),
    (LedgerFilter(issued_from=date(2026, 10, 6)), ["FV/10", "WB/9"]),
    (LedgerFilter(issued_to=date(2025, 7, 10)), ["FK/2"]),
    (LedgerFilter(kind=SettlementKind.PAYMENT, state=OPEN), []),
])
def test_examples_of_filters_and_the_order_of_the_rows(wanted, numbers):
    assert [row.document_number for row in select_entries(LEDGER, wanted)] == numbers


@pytest.mark.parametrize("wanted, expected", [
    # Winien: 120 + 80 + 95.50 + 60; Ma: 80 (payment) + 250 (overpayment) + 3.20 (correction taking money away).
    (LedgerFilter(), Totals(7, 4, Decimal("355.50"), 3, Decimal("333.20"), Decimal("175.50"), Decimal("250.00"))),
    (LedgerFilter(state=OPEN), Totals(3, 2, Decimal("215.50"), 1, Decimal("250.00"), Decimal("175.50"),
                                      Decimal("250.00"))),
    (LedgerFilter(state=SETTLED), Totals(4, 2, Decimal("140.00"), 2, Decimal("83.20"))),
    (LedgerFilter(kind=SettlementKind.PAYMENT, state=OPEN), Totals()),
])
def test_examples_of_totals(wanted, expected):
    assert totals(select_entries(LEDGER, wanted)) == expected


@pytest.mark.parametrize("number, state", [
    ("FV/10", TO_PAY), ("FV/8", PARTLY_PAID), ("FV/9", PAID), ("NO/1", TO_SETTLE), ("WB/9", USED), ("FK/2", USED),
])
def test_each_entry_is_named_in_its_own_sides_words(number, state):
    assert state_of(next(row for row in LEDGER if row.document_number == number)) == state


def test_a_partly_used_payment_is_partly_settled():
    assert state_of(entry(TODAY, "100.00", "30.00", SettlementKind.PAYMENT)) == PARTLY_SETTLED


def test_the_view_groups_settled_rows_by_year_and_offers_each_year():
    ledger = Ledger(Settlements(Decimal("-74.50"), tuple(LEDGER)), {}, True)
    view = settlements_view(ledger, LedgerFilter(), 1, TODAY)
    assert [row.entry.document_number for row in view.open_rows] == ["FV/10", "FV/8", "NO/1"]
    assert [(group.year, [row.entry.document_number for row in group.rows]) for group in view.settled_years] == [
        (2026, ["WB/9", "FV/9"]), (2025, ["FV/7", "FK/2"])]
    assert years(LEDGER) == view.years == [2026, 2025] and view.year is None
    assert view.year_args(2025) == {"issued_from": "2025-01-01", "issued_to": "2025-12-31"}
    narrowed = settlements_view(ledger, LedgerFilter(date(2025, 1, 1), date(2025, 12, 31), state=SETTLED), 1, TODAY)
    assert narrowed.year == 2025 and narrowed.year_args(2026)["state"] == "settled"
    assert narrowed.all_years_args == {"state": "settled"}


def test_the_statement_shows_the_same_dues_as_the_start_page_and_lists_what_is_overdue():
    settlements = Settlements(Decimal("-74.50"), tuple(LEDGER))
    view = settlements_view(Ledger(settlements, {}, True), LedgerFilter(kind=SettlementKind.PAYMENT), 1, TODAY)
    assert view.dues == summarise(settlements, TODAY)
    assert [(row.entry.document_number, row.left_to_pay) for row in view.overdue_rows] == [
        ("FV/8", Decimal("55.50")), ("FV/10", Decimal("120.00"))], "oldest due first, whatever the filter"


def test_the_export_and_the_page_hold_the_same_rows_in_the_same_order():
    ledger = Ledger(Settlements(Decimal("-74.50"), tuple(LEDGER)), {}, True)
    rows = export_rows(ledger, LedgerFilter(state=OPEN), TODAY)
    assert [(row.entry.document_number, row.overdue) for row in rows] == [
        ("FV/10", True), ("FV/8", True), ("NO/1", False)]


def test_a_credit_not_yet_used_is_open_never_overdue():
    credit = entry(date(2026, 11, 7), "250.00", "0.00", SettlementKind.OVERPAYMENT)
    assert not is_settled(credit) and not is_overdue(credit, TODAY)
    assert select_entries([credit], LedgerFilter(state=OPEN)) == [credit]


def test_the_date_range_includes_both_ends():
    rows = [entry(date(2026, 1, d)) for d in (1, 2, 3, 4)]
    chosen = select_entries(rows, LedgerFilter(date(2026, 1, 2), date(2026, 1, 3)))
    assert [row.issued_on.day for row in chosen] == [3, 2]


def test_only_the_customers_own_invoices_are_linked_and_a_payment_links_as_for_an_invoice():
    invoice = entry(date(2026, 11, 5), invoice_id="INV-1", number="FV/1/2026")
    payment = entry(date(2026, 11, 14), kind=SettlementKind.PAYMENT, invoice_id="INV-1", number="WB/1")
    foreign = entry(date(2026, 11, 14), invoice_id="INV-OTHER", number="FV/9/2026")
    ledger = Ledger(Settlements(Decimal(0), (invoice, payment, foreign)), {"INV-1": "FV/1/2026"}, True)
    rows = ledger_rows(ledger, [invoice, payment, foreign], TODAY)
    assert [(row.invoice_number, row.is_the_invoice) for row in rows] == [
        ("FV/1/2026", True), ("FV/1/2026", False), (None, False)]
