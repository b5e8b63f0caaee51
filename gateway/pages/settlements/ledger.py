"""The settlements statement's rules on plain records: filters, open and settled apart, totals, years, statuses.

No Flask here, so every rule is tested on records alone. The statement reads as a Polish one does: charges on
the Winien side, money received on the Ma side (gateway/erp/dues.py decides which). "Settled" means nothing of
the entry remains: a charge paid in full, or money received that has all been used (which is never called "paid").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from adapters.core.records import SettlementEntry, SettlementKind
from gateway.erp.dues import ZERO, charge, credit, is_charge, left_to_pay, left_to_use

ALL, OPEN, SETTLED = "all", "open", "settled"
STATES = (ALL, OPEN, SETTLED)
# Each entry's state in words: a charge is paid, money received is used up (settled).
TO_PAY, PARTLY_PAID, PAID = "to_pay", "partly_paid", "paid"
TO_SETTLE, PARTLY_SETTLED, USED = "to_settle", "partly_settled", "used"


@dataclass(frozen=True)
class LedgerFilter:
    """What the customer asked to see; None means no restriction."""

    issued_from: date | None = None
    issued_to: date | None = None
    kind: SettlementKind | None = None
    state: str = ALL


@dataclass(frozen=True)
class Totals:
    """Sums of the rows given, each over the rows it names: charges over Winien rows, payments over Ma rows."""

    count: int = 0
    charge_count: int = 0
    charges: Decimal = ZERO
    payment_count: int = 0
    payments: Decimal = ZERO
    left_to_pay: Decimal = ZERO
    left_to_use: Decimal = ZERO


def is_settled(entry: SettlementEntry) -> bool:
    return entry.remaining == 0


def state_of(entry: SettlementEntry) -> str:
    """One word for the entry's state, from its own side's vocabulary."""
    if is_charge(entry):
        return PAID if is_settled(entry) else (TO_PAY if entry.settled == 0 else PARTLY_PAID)
    return USED if is_settled(entry) else (TO_SETTLE if entry.settled == 0 else PARTLY_SETTLED)


def matches(entry: SettlementEntry, wanted: LedgerFilter) -> bool:
    """True when the entry passes every filter: issue date range (both ends included), kind, settled state."""
    if wanted.issued_from is not None and entry.issued_on < wanted.issued_from:
        return False
    if wanted.issued_to is not None and entry.issued_on > wanted.issued_to:
        return False
    if wanted.kind is not None and entry.kind is not wanted.kind:
        return False
    return wanted.state == ALL or is_settled(entry) == (wanted.state == SETTLED)


def select_entries(entries: Iterable[SettlementEntry], wanted: LedgerFilter) -> list[SettlementEntry]:
    """Open first, then settled; newest first within each: what needs doing leads the page."""
    chosen = [entry for entry in entries if matches(entry, wanted)]
    newest_first = sorted(chosen, key=lambda entry: entry.issued_on, reverse=True)
    return sorted(newest_first, key=is_settled)


def totals(entries: Iterable[SettlementEntry]) -> Totals:
    """Plain sums of the rows given, as the customer would add them up on each side."""
    rows = list(entries)
    charges = [entry for entry in rows if is_charge(entry)]
    return Totals(
        count=len(rows),
        charge_count=len(charges),
        charges=sum((charge(entry) for entry in rows), ZERO),
        payment_count=len(rows) - len(charges),
        payments=sum((credit(entry) for entry in rows), ZERO),
        left_to_pay=sum((left_to_pay(entry) for entry in rows), ZERO),
        left_to_use=sum((left_to_use(entry) for entry in rows), ZERO),
    )


def years(entries: Iterable[SettlementEntry]) -> list[int]:
    """The years the ledger has entries from, newest first: the only ones worth offering."""
    return sorted({entry.issued_on.year for entry in entries}, reverse=True)


def year_filter(wanted: LedgerFilter, year: int) -> LedgerFilter:
    """The same filter narrowed to one calendar year."""
    return LedgerFilter(date(year, 1, 1), date(year, 12, 31), wanted.kind, wanted.state)
