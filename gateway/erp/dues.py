"""What a settlements ledger means to the customer: each entry's side, what is left, what is overdue, what is next.

The start page, the settlements page and the invoice page all read money through here, so they never disagree.
The ERP's balance is what the charges still owe minus what the money received still holds. An entry's effect on
the balance is its amount for a charge (invoice, interest note, correction; a correction may be negative) and
minus its amount for money received (payment, prepayment, overpayment): a positive effect is "Winien", a negative
one "Ma", as a Polish account statement reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from adapters.core.records import SettlementEntry, SettlementKind, Settlements

ZERO = Decimal("0.00")
RECEIVED_KINDS = frozenset({SettlementKind.PAYMENT, SettlementKind.PREPAYMENT, SettlementKind.OVERPAYMENT})


def _sign(entry: SettlementEntry) -> int:
    return -1 if entry.kind in RECEIVED_KINDS else 1


def is_charge(entry: SettlementEntry) -> bool:
    """Winien: it adds to what the customer owes; a correction that takes money away is on the Ma side."""
    effect = _sign(entry) * entry.amount
    return effect > 0 or (effect == 0 and entry.kind not in RECEIVED_KINDS)


def charge(entry: SettlementEntry) -> Decimal:
    """The entry's Winien amount: zero for money received."""
    return abs(entry.amount) if is_charge(entry) else ZERO


def credit(entry: SettlementEntry) -> Decimal:
    """The entry's Ma amount: zero for a charge."""
    return ZERO if is_charge(entry) else abs(entry.amount)


def left_to_pay(entry: SettlementEntry) -> Decimal:
    """What of a charge is still unpaid; never anything for money received."""
    return max(ZERO, _sign(entry) * entry.remaining)  # ZERO first: max keeps it over a -0.00


def left_to_use(entry: SettlementEntry) -> Decimal:
    """Money received that has not yet paid for anything (an overpayment the customer still holds)."""
    return max(ZERO, -_sign(entry) * entry.remaining)


def is_overdue(entry: SettlementEntry, today: date) -> bool:
    """Money still owed after its due date; money received has no due date, so it never is."""
    return left_to_pay(entry) > 0 and entry.due_on is not None and entry.due_on < today


@dataclass(frozen=True)
class Dues:
    """The balance as the customer needs it: what is owed, what of it is overdue since when, and what falls due next."""

    balance: Decimal
    overdue: Decimal = ZERO
    overdue_since: date | None = None
    next_due: date | None = None
    next_due_amount: Decimal = ZERO

    @property
    def owes(self) -> bool:
        return self.balance > 0

    @property
    def overpaid(self) -> bool:
        return self.balance < 0

    @property
    def amount(self) -> Decimal:
        return abs(self.balance)


def overdue_entries(entries: Iterable[SettlementEntry], today: date) -> list[SettlementEntry]:
    """Oldest due date first: the debt that has waited longest leads."""
    return sorted((entry for entry in entries if is_overdue(entry, today)), key=_due)


def summarise(settlements: Settlements, today: date) -> Dues:
    """Overdue: unpaid remainders past their due date, since the earliest; next due: the earliest one still ahead."""
    late = overdue_entries(settlements.entries, today)
    ahead = sorted((entry for entry in settlements.entries
                    if left_to_pay(entry) > 0 and entry.due_on is not None and entry.due_on >= today), key=_due)
    next_due = _due(ahead[0]) if ahead else None
    return Dues(
        balance=settlements.balance,
        overdue=sum((left_to_pay(entry) for entry in late), ZERO),
        overdue_since=_due(late[0]) if late else None,
        next_due=next_due,
        next_due_amount=sum((left_to_pay(entry) for entry in ahead if entry.due_on == next_due), ZERO),
    )


def invoice_entry(settlements: Settlements, invoice_id: str) -> SettlementEntry | None:
    """The ledger's own line for an invoice (not a payment made towards it), if the ERP keeps one."""
    return next((entry for entry in settlements.entries
                 if entry.invoice_id == invoice_id and entry.kind is SettlementKind.INVOICE), None)


def _due(entry: SettlementEntry) -> date:
    assert entry.due_on is not None
    return entry.due_on
