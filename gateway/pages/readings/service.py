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
from gateway.erp import reading_rules
from gateway.erp.concurrent import Outcome, gather
from gateway.outbox.accept import accept, submissions
from gateway.outbox.codec import READING
from gateway.outbox.model import PENDING, OutboxItem
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


@dataclass(frozen=True)
class SubmitResult:
    """Accepted (kept in the outbox), refused by a rule (problems), or waiting for the customer to confirm."""

    accepted: OutboxItem | None = None
    problems: tuple[reading_rules.Problem, ...] = ()
    ceiling: Decimal | None = None
    last: Reading | None = None


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


def known_readings(port: BillingPort, customer_id: str, meter: Meter) -> list[Reading]:
    """What the ERP holds (or last held, when it is down) plus the customer's readings still on their way,
    so the rules see a reading sent a minute ago; with neither, the ERP's own checks decide on delivery."""
    try:
        held = port.list_readings(customer_id, meter.id)
    except ErpError as error:
        current_app.logger.warning("reading rules without the ERP's history: %s", error)
        held = []
    waiting = [Reading(write.meter_id, write.date, write.value, None, ReadingType.CUSTOMER, ReadingStatus.PENDING)
               for item, write in submissions(customer_id, READING)
               if item.status == PENDING and isinstance(write, ReadingSubmission) and write.meter_id == meter.id]
    return sorted([*held, *waiting], key=lambda reading: reading.date)


def submit(port: BillingPort, customer_id: str, meter: Meter, draft: Draft, today: date) -> SubmitResult:
    """Check the rules, then keep the reading in the outbox: it reaches the ERP in the background, once."""
    stop = check(meter, known_readings(port, customer_id, meter), draft, today)
    if stop is not None:
        return stop
    submission = ReadingSubmission(meter.id, draft.day, draft.value, draft.idempotency_key, draft.note)
    summary = f"{meter.serial}: {draft.value:.3f} m³, {draft.day.isoformat()}"
    return SubmitResult(accepted=accept(customer_id, current_account(), submission, summary))


def meter_submissions(customer_id: str, meter_id: str) -> list[tuple[OutboxItem, ReadingSubmission]]:
    """This meter's readings sent from the portal lately, newest first, with where each one stands."""
    return [(item, write) for item, write in submissions(customer_id, READING)
            if isinstance(write, ReadingSubmission) and write.meter_id == meter_id]
