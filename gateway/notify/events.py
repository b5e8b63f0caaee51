"""What the ERP's answers hold that is new for one customer: plain records in, reminders out (no Flask, no database).

Each reminder has a key, unique per customer and kind, that the ledger keeps per account, and a day on which it
happened: only what happened since the kind was switched on counts (no flood of old invoices on the first run), and
never more than the look-back ago, so a ledger row purged after its retention cannot make an old reminder new again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Iterable

from adapters.core.records import Customer, InvoiceSummary, Message, Meter, MeterStatus, SettlementKind, Settlements
from gateway.erp import dues
from gateway.notify.kinds import DUE_SOON, NEW_INVOICE, OVERDUE, READING_WINDOW, REPLY


@dataclass(frozen=True)
class Event:
    """One reminder to send: the ledger's key, the day it happened (or the moment, for a reply), the mail's facts."""

    kind: str
    key: str
    day: date
    facts: dict[str, Any] = field(default_factory=dict, compare=False)
    moment: datetime | None = None


@dataclass(frozen=True)
class Horizon:
    """The run's today, how far back it looks, and the reminder's lead time before a due date."""

    today: date
    lookback_days: int
    due_days: int

    def counts(self, event: Event, since: datetime, since_day: date) -> bool:
        """Happened after the switch was turned on (to the moment for a reply, to the day otherwise), and lately."""
        if event.day < self.today - timedelta(days=self.lookback_days):
            return False
        return event.moment >= since if event.moment is not None else event.day >= since_day


def new_invoices(invoices: Iterable[InvoiceSummary]) -> list[Event]:
    """Every invoice, keyed by its id; the horizon keeps those issued since the switch."""
    return [Event(NEW_INVOICE, invoice.id, invoice.issued_on,
                  {"number": invoice.number, "amount": invoice.gross, "due_on": invoice.due_on,
                   "premise_id": invoice.premise_id})
            for invoice in invoices]


def _unpaid_invoices(settlements: Settlements) -> list[dues.SettlementEntry]:
    return [entry for entry in settlements.entries if entry.kind is SettlementKind.INVOICE
            and entry.due_on is not None and dues.left_to_pay(entry) > 0]


def _key(entry: dues.SettlementEntry) -> str:
    return f"{entry.invoice_id or entry.document_number}:{entry.due_on}"


def due_soon(settlements: Settlements, horizon: Horizon) -> list[Event]:
    """Invoices still to pay whose due date is within the lead time (today included); it happened lead-time days
    before the due date."""
    lead = timedelta(days=horizon.due_days)
    return [Event(DUE_SOON, _key(entry), entry.due_on - lead,
                  {"number": entry.document_number, "amount": dues.left_to_pay(entry), "due_on": entry.due_on})
            for entry in _unpaid_invoices(settlements)
            if entry.due_on is not None and horizon.today <= entry.due_on <= horizon.today + lead]


def overdue(settlements: Settlements, horizon: Horizon) -> list[Event]:
    """Invoices the portal's one rule calls overdue (dues.is_overdue); it happened the day after the due date."""
    return [Event(OVERDUE, _key(entry), entry.due_on + timedelta(days=1),
                  {"number": entry.document_number, "amount": dues.left_to_pay(entry), "due_on": entry.due_on})
            for entry in _unpaid_invoices(settlements)
            if entry.due_on is not None and dues.is_overdue(entry, horizon.today)]


def replies(messages: Iterable[Message]) -> list[Event]:
    """Each reply of the office, keyed by its message and time; the mail names the case number, not the text."""
    events = []
    for message in messages:
        for reply in message.replies:
            moment = reply.sent_at.astimezone(UTC).replace(tzinfo=None) if reply.sent_at.tzinfo else reply.sent_at
            events.append(Event(REPLY, f"{message.id}:{moment.isoformat()}", moment.date(),
                                {"case_number": message.case_number, "premise_id": message.premise_id}, moment))
    return events


def reading_window(meters: Iterable[Meter], opened_on: date) -> list[Event]:
    """One reminder per window for all the account's active meters; none without an active meter."""
    serials = sorted(meter.serial for meter in meters if meter.status is MeterStatus.ACTIVE)
    if not serials:
        return []
    return [Event(READING_WINDOW, opened_on.isoformat(), opened_on, {"serials": serials})]


def premise_line(customer: Customer | None, event: Event) -> str | None:
    """The address of the premise the reminder is about, so a manager knows which building: the one its invoice or
    message names, else the customer's only one; None without the ERP's answer, or with several premises and none
    named."""
    if customer is None:
        return None
    addresses = {premise.id: str(premise.address) for premise in customer.premises}
    named = event.facts.get("premise_id")
    if named in addresses:
        return addresses[named]
    return next(iter(addresses.values())) if len(addresses) == 1 else None
