"""What a ledger means to the customer (gateway/erp/dues.py): sides, what is left, overdue, and what falls due next."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from adapters.core.records import SettlementEntry, SettlementKind, Settlements
from gateway.erp.dues import Dues, charge, credit, invoice_entry, is_overdue, left_to_pay, left_to_use, summarise

TODAY = date(2026, 11, 27)


def entry(due: date | None, remaining: str, amount: str = "100.00", kind=SettlementKind.INVOICE,
          invoice_id: str | None = None) -> SettlementEntry:
    amount_d, remaining_d = Decimal(amount), Decimal(remaining)
    return SettlementEntry(kind, "FV", date(2026, 1, 1), due, None, amount_d, amount_d - remaining_d, remaining_d,
                           invoice_id)


@pytest.mark.parametrize("kind, amount, remaining, sides", [
    # (Winien, Ma, left to pay, left to use)
    (SettlementKind.INVOICE, "34.29", "17.14", ("34.29", "0", "17.14", "0")),
    (SettlementKind.INTEREST_NOTE, "1.18", "1.18", ("1.18", "0", "1.18", "0")),
    (SettlementKind.CORRECTION, "12.00", "0.00", ("12.00", "0", "0", "0")),
    (SettlementKind.CORRECTION, "-5.49", "-2.00", ("0", "5.49", "0", "2.00")),
    (SettlementKind.PAYMENT, "17.15", "0.00", ("0", "17.15", "0", "0")),
    (SettlementKind.OVERPAYMENT, "250.00", "250.00", ("0", "250.00", "0", "250.00")),
    (SettlementKind.PREPAYMENT, "150.00", "40.00", ("0", "150.00", "0", "40.00")),
])
def test_each_entry_lands_on_its_side_of_the_statement(kind, amount, remaining, sides):
    row = entry(None, remaining, amount, kind)
    assert (charge(row), credit(row), left_to_pay(row), left_to_use(row)) == tuple(map(Decimal, sides))


@pytest.mark.parametrize("remaining, due, kind, overdue", [
    ("10.00", TODAY - timedelta(days=1), SettlementKind.INVOICE, True),
    ("10.00", TODAY, SettlementKind.INVOICE, False),
    ("0.00", TODAY - timedelta(days=30), SettlementKind.INVOICE, False),
    ("10.00", None, SettlementKind.INVOICE, False),
    ("-10.00", TODAY - timedelta(days=1), SettlementKind.CORRECTION, False),
    ("10.00", TODAY - timedelta(days=1), SettlementKind.PAYMENT, False),
])
def test_overdue_means_money_still_owed_after_the_due_date(remaining, due, kind, overdue):
    amount = "-100.00" if remaining.startswith("-") else "100.00"
    assert is_overdue(entry(due, remaining, amount, kind), TODAY) is overdue


def test_the_summary_separates_overdue_since_when_from_what_is_due_next():
    entries = (entry(date(2026, 10, 1), "40.00"), entry(date(2026, 11, 19), "17.14"),
               entry(date(2026, 12, 10), "100.00"), entry(date(2026, 12, 10), "20.00"),
               entry(date(2026, 12, 20), "30.00"), entry(date(2026, 9, 1), "0.00"), entry(None, "15.00"),
               entry(None, "250.00", "250.00", SettlementKind.OVERPAYMENT))
    summary = summarise(Settlements(Decimal("-27.86"), entries), TODAY)
    assert summary == Dues(Decimal("-27.86"), Decimal("57.14"), date(2026, 10, 1), date(2026, 12, 10),
                           Decimal("120.00"))
    assert summary.overpaid and not summary.owes and summary.amount == Decimal("27.86")


def test_when_everything_owed_is_overdue_nothing_is_due_next_and_the_overdue_says_since_when():
    """Kowalski's case: two invoices due 19.11.2026, both unpaid on 27.11.2026."""
    entries = (entry(date(2026, 11, 19), "17.14", "34.29"), entry(date(2026, 11, 19), "166.01", "166.01"))
    summary = summarise(Settlements(Decimal("183.15"), entries), TODAY)
    assert summary == Dues(Decimal("183.15"), Decimal("183.15"), date(2026, 11, 19), None, Decimal("0"))
    assert summary.owes


def test_nothing_open_means_nothing_due():
    summary = summarise(Settlements(Decimal("0.00"), (entry(date(2026, 9, 1), "0.00"),)), TODAY)
    assert summary == Dues(Decimal("0.00"))
    assert not summary.owes and not summary.overpaid


def test_an_invoices_own_line_is_found_not_a_payment_towards_it():
    payment = entry(None, "0.00", "17.15", SettlementKind.PAYMENT, invoice_id="INV-1")
    own = entry(date(2026, 11, 19), "17.14", "34.29", invoice_id="INV-1")
    ledger = Settlements(Decimal("17.14"), (payment, own))
    assert invoice_entry(ledger, "INV-1") is own
    assert invoice_entry(ledger, "INV-2") is None
