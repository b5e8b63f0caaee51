"""The settlements ledger's rules on plain records: filters, paid and unpaid apart, overdue, totals, balance.

No Flask here, so every rule is tested on records alone. "Paid" means nothing remains to settle; a credit
(payment, overpayment) with money still unused stays on the unpaid side until it is used up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from adapters.core.records import SettlementEntry, SettlementKind

ZERO = Decimal("0.00")
ALL, PAID, UNPAID = "all", "paid", "unpaid"
STATES = (ALL, UNPAID, PAID)


@dataclass(frozen=True)
class LedgerFilter:
    """What the customer asked to see; None means no restriction."""

    issued_from: date | None = None
    issued_to: date | None = None
    kind: SettlementKind | None = None
    state: str = ALL


@dataclass(frozen=True)
class Totals:
    count: int = 0
    amount: Decimal = ZERO
    settled: Decimal = ZERO
    remaining: Decimal = ZERO


@dataclass(frozen=True)
class BalanceStatement:
    """The balance read the customer's way: a positive ERP balance is what they owe."""

    balance: Decimal

    @property
    def owes(self) -> bool:
        return self.balance > 0

    @property
    def overpaid(self) -> bool:
        return self.balance < 0

    @property
    def amount(self) -> Decimal:
        return abs(self.balance)


def is_paid(entry: SettlementEntry) -> bool:
    return entry.remaining == 0


def is_overdue(entry: SettlementEntry, today: date) -> bool:
    """Money still owed after its due date; credits have no due date, so they never are."""
    return entry.remaining > 0 and entry.due_on is not None and entry.due_on < today


def matches(entry: SettlementEntry, wanted: LedgerFilter) -> bool:
    """True when the entry passes every filter: issue date range (both ends included), kind, paid state."""
    if wanted.issued_from is not None and entry.issued_on < wanted.issued_from:
        return False
    if wanted.issued_to is not None and entry.issued_on > wanted.issued_to:
        return False
    if wanted.kind is not None and entry.kind is not wanted.kind:
        return False
    return wanted.state == ALL or is_paid(entry) == (wanted.state == PAID)


def select_entries(entries: Iterable[SettlementEntry], wanted: LedgerFilter) -> list[SettlementEntry]:
    """Unpaid first, then paid; newest first within each: what needs doing leads the page."""
    chosen = [entry for entry in entries if matches(entry, wanted)]
    newest_first = sorted(chosen, key=lambda entry: entry.issued_on, reverse=True)
    return sorted(newest_first, key=is_paid)


def totals(entries: Iterable[SettlementEntry]) -> Totals:
    """Plain sums of the rows given, as the customer would add them up."""
    rows = list(entries)
    return Totals(
        count=len(rows),
        amount=sum((entry.amount for entry in rows), ZERO),
        settled=sum((entry.settled for entry in rows), ZERO),
        remaining=sum((entry.remaining for entry in rows), ZERO),
    )


def split(entries: Sequence[SettlementEntry]) -> tuple[list[SettlementEntry], list[SettlementEntry]]:
    """(unpaid, paid), each in the order given."""
    return [entry for entry in entries if not is_paid(entry)], [entry for entry in entries if is_paid(entry)]
