"""What the readings pages read and send: history paging, each meter's last reading, and the submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Sequence

from flask import current_app

from adapters.core.errors import ErpError
from adapters.core.port import BillingPort
from adapters.core.records import Meter, MeterStatus, Reading, ReadingStatus, ReadingSubmission, ReadingType
from gateway.accounts import audit
from gateway.db.database import db
from gateway.erp import reading_rules
from gateway.erp.concurrent import Outcome, gather
from gateway.outbox import store
from gateway.outbox.accept import accept, submissions
from gateway.outbox.awaiting import awaits_erp
from gateway.outbox.codec import READING
from gateway.outbox.model import PENDING, OutboxItem
from gateway.outbox.runner import wake_delivery
from gateway.web.paging import Page, paginate
from gateway.web.sessions import current_account

HISTORY_PER_PAGE = 24
OVERVIEW_PER_PAGE = 20


@dataclass(frozen=True)
class Draft:
    """The customer's reading as the form gave it, before any rule was checked."""

    day: date
    value: Decimal
    note: str
    idempotency_key: str
    confirmed: bool
    correcting: int | None = None  # the customer's waiting reading this one replaces


Sent = tuple[OutboxItem, ReadingSubmission]


@dataclass(frozen=True)
class SubmitResult:
    """Accepted (kept in the outbox) or corrected (a waiting one replaced); else stopped: by a rule (problems),
    for the customer to confirm (ceiling), by their own reading of that day (same_day), or by a correction that
    came too late (the reading was passed on meanwhile) or while it is being passed on (sending: an attempt may
    have reached the ERP, so it goes as it is)."""

    accepted: OutboxItem | None = None
    corrected: OutboxItem | None = None
    problems: tuple[reading_rules.Problem, ...] = ()
    ceiling: Decimal | None = None
    last: Reading | None = None
    same_day: Sent | None = None
    too_late: bool = False
    sending: bool = False

    @property
    def done(self) -> bool:
        return self.accepted is not None or self.corrected is not None


@dataclass(frozen=True)
class MeterLast:
    meter: Meter
    outcome: Outcome

    @property
    def last(self) -> Reading | None:
        return reading_rules.last_reading(self.outcome.value or [])


def years(readings: Sequence[Reading]) -> list[int]:
    """The years with readings, newest first: the choices of the chart's year."""
    return sorted({reading.date.year for reading in readings}, reverse=True)


def history_page(readings: Sequence[Reading], year: int | None, number: int) -> Page[Reading]:
    """Newest first (what a customer looks for), only the chosen year when there is one."""
    chosen = [r for r in readings if year is None or r.date.year == year]
    return paginate(sorted(chosen, key=lambda r: r.date, reverse=True), number, HISTORY_PER_PAGE)


def in_use(meters: Sequence[Meter]) -> list[Meter]:
    """Meters that can still be read: the removed ones only have history."""
    return [meter for meter in meters if meter.status is not MeterStatus.REMOVED]


def last_readings(port: BillingPort, customer_id: str, meters: Sequence[Meter], timeout: float) -> list[MeterLast]:
    """One page of meters at a time, read concurrently: a meter the ERP did not answer for shows a notice."""
    outcomes = gather({meter.id: _reader(port, customer_id, meter.id) for meter in meters}, timeout)
    return [MeterLast(meter, outcomes[meter.id]) for meter in meters]


def _reader(port: BillingPort, customer_id: str, meter_id: str) -> Callable[[], list[Reading]]:
    return lambda: port.list_readings(customer_id, meter_id)


def check(meter: Meter, readings: Sequence[Reading], draft: Draft, today: date) -> SubmitResult | None:
    """A result that stops the submission (a broken rule, or a value to confirm); None when it may go."""
    last = reading_rules.last_reading(readings, meter.id)
    problems = reading_rules.check_submission(meter, readings, draft.day, draft.value, today)
    if problems:
        return SubmitResult(problems=tuple(problems), last=last)
    if reading_rules.is_unusual(readings, draft.day, draft.value, meter.id) and not draft.confirmed:
        return SubmitResult(ceiling=reading_rules.usual_ceiling(readings, draft.day, meter.id), last=last)
    return None


def erp_readings(port: BillingPort, customer_id: str, meter: Meter) -> list[Reading]:
    """What the ERP holds (or last held, when it is down); none when it cannot say: its own checks then decide."""
    try:
        return port.list_readings(customer_id, meter.id)
    except ErpError as error:
        current_app.logger.warning("reading rules without the ERP's history: %s", error)
        return []


def not_shown(customer_id: str, meter_id: str, held: Sequence[Reading]) -> list[Sent]:
    """The customer's readings of this meter the ERP's answer does not show: waiting, or taken lately."""
    shown = {reading.date for reading in held if reading.meter_id == meter_id}
    return [(item, write) for item, write in meter_submissions(customer_id, meter_id)
            if awaits_erp(item) and (item.status == PENDING or write.date not in shown)]


def _as_reading(write: ReadingSubmission) -> Reading:
    return Reading(write.meter_id, write.date, write.value, None, ReadingType.CUSTOMER, ReadingStatus.PENDING)


def submit(port: BillingPort, customer_id: str, meter: Meter, draft: Draft, today: date) -> SubmitResult:
    """Check the rules against the ERP's readings and the customer's own not shown there yet (so a reading sent a
    minute ago counts), then keep the reading in the outbox, or put it in place of the waiting one it corrects."""
    if draft.correcting is not None and (stop := _cannot_correct(customer_id, meter.id, draft)) is not None:
        return stop
    held = erp_readings(port, customer_id, meter)
    # The reading being corrected, or this very form sent twice (accept() finds it by its key), is no rival.
    mine = [sent for sent in not_shown(customer_id, meter.id, held)
            if sent[0].id != draft.correcting and sent[0].idempotency_key != draft.idempotency_key]
    same_day = next((sent for sent in mine if sent[1].date == draft.day), None)
    if same_day is not None:
        return SubmitResult(same_day=same_day, last=reading_rules.last_reading(held, meter.id))
    readings = sorted([*held, *(_as_reading(write) for _, write in mine)], key=lambda reading: reading.date)
    stop = check(meter, readings, draft, today)
    if stop is not None:
        return stop
    submission = ReadingSubmission(meter.id, draft.day, draft.value, draft.idempotency_key, draft.note)
    summary = f"{meter.serial}: {draft.value:.3f} m³, {draft.day.isoformat()}"
    if draft.correcting is not None:
        return _correct(customer_id, meter.id, draft.correcting, submission, summary)
    return SubmitResult(accepted=accept(customer_id, current_account(), submission, summary))


def _cannot_correct(customer_id: str, meter_id: str, draft: Draft) -> SubmitResult | None:
    """Why the reading to correct cannot be changed; None when it is the customer's own and still changeable (or
    this correction already replaced it)."""
    item = own_submission(customer_id, meter_id, draft.correcting)
    if item is None:
        return SubmitResult(too_late=True)
    if item.idempotency_key == draft.idempotency_key or item.changeable_by_customer:
        return None
    return unchangeable(item)


def unchangeable(item: OutboxItem) -> SubmitResult:
    """Passed on already (too late), or still waiting with an attempt that may have reached the ERP (sending)."""
    return SubmitResult(sending=True) if item.status == PENDING else SubmitResult(too_late=True)


def _correct(customer_id: str, meter_id: str, item_id: int, submission: ReadingSubmission,
             summary: str) -> SubmitResult:
    """The waiting reading replaced, audited with the change; a resent correction form changes nothing again."""
    item = own_submission(customer_id, meter_id, item_id)
    if item is not None and item.idempotency_key == submission.idempotency_key:
        return SubmitResult(corrected=item)
    if item is None or not store.replace_pending(db(), item_id, submission, summary):
        db().commit()
        return unchangeable(item) if item is not None else SubmitResult(too_late=True)
    audit.record("reading.corrected", current_account(), outbox_id=item_id,
                 idempotency_key=submission.idempotency_key, summary=summary)
    db().commit()
    wake_delivery()
    return SubmitResult(corrected=item)


def withdraw(item: OutboxItem) -> bool:
    """Taken back while still waiting, audited; False when it was passed on meanwhile (too late) or an attempt may
    have reached the ERP (the item, reloaded by the commit, then still says PENDING)."""
    withdrawn = store.withdraw_pending(db(), item.id)
    if withdrawn:
        audit.record("reading.withdrawn", current_account(), outbox_id=item.id, idempotency_key=item.idempotency_key)
    db().commit()
    return withdrawn


def own_submission(customer_id: str, meter_id: str, item_id: int | None) -> OutboxItem | None:
    """The customer's own reading of this meter sent from the portal; None for anybody else's, or another kind."""
    item = db().get(OutboxItem, item_id) if item_id is not None else None
    if item is None or (item.customer_id, item.kind, item.topic) != (customer_id, READING, meter_id):
        return None
    return item


def meter_submissions(customer_id: str, meter_id: str) -> list[tuple[OutboxItem, ReadingSubmission]]:
    """This meter's readings sent from the portal lately, newest first, with where each one stands."""
    return [(item, write) for item, write in submissions(customer_id, READING)
            if isinstance(write, ReadingSubmission) and write.meter_id == meter_id]
