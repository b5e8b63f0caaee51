"""The rules a customer's reading must keep, over plain records (no Flask), so they are tested on their own.

The ERP has the last word and may still refuse; these rules let the portal explain the usual refusals
before anything is sent, and ask for a confirmation when a value is far above the usual consumption.
"""

from __future__ import annotations

import enum
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable

from adapters.core.records import Meter, MeterStatus, Reading, ReadingStatus, ReadingType

# Up to nine whole digits (the ERP's meters stop well before 10⁹ m³) and three decimals, comma or dot.
VALUE_PATTERN = re.compile(r"([0-9]{1,9})(?:[.,]([0-9]{1,3}))?")
# Spaces people type or paste as thousands separators: plain, no-break and narrow no-break.
SEPARATORS = re.compile(r"[ \u00a0\u202f]")
MAX_VALUE_TEXT = 20

# A value above last + FACTOR × average daily use × days + FLOOR asks the customer to confirm it.
FACTOR = Decimal(3)
FLOOR = Decimal("1.000")
# Without a year of history to learn from: a generous household's daily use.
DEFAULT_DAILY = Decimal("1.000")
WINDOW = timedelta(days=365)


class Problem(enum.StrEnum):
    METER_NOT_ACTIVE = "meter_not_active"
    FUTURE_DATE = "future_date"
    BEFORE_INSTALLATION = "before_installation"
    BEFORE_LAST = "before_last"
    SAME_DAY = "same_day"
    BELOW_LAST = "below_last"


def parse_value(text: str | None) -> Decimal | None:
    """A meter value as people type it ("123,456", "123.456", "1 234,5"); None for anything else."""
    if text is None or len(text) > MAX_VALUE_TEXT:
        return None
    match = VALUE_PATTERN.fullmatch(SEPARATORS.sub("", text.strip()))
    if match is None:
        return None
    whole, fraction = match.groups()
    return Decimal(f"{whole}.{(fraction or '').ljust(3, '0')}")


def counted(readings: Iterable[Reading], meter_id: str | None = None) -> list[Reading]:
    """The readings the ERP holds as real, oldest first: a rejected one neither sets the last value nor
    takes its day. Only the meter's own: a replacement meter starts its own count."""
    own = (r for r in readings if meter_id is None or r.meter_id == meter_id)
    return sorted((r for r in own if r.status is not ReadingStatus.REJECTED), key=lambda r: r.date)


def last_reading(readings: Iterable[Reading], meter_id: str | None = None) -> Reading | None:
    history = counted(readings, meter_id)
    return history[-1] if history else None


def _possible_repeat(reading: Reading, value: Decimal) -> bool:
    """The same value, still waiting, sent by a customer: maybe this very submission sent twice (a double
    click); the ERP recognises it by its idempotency key and answers with the first receipt."""
    return reading.status is ReadingStatus.PENDING and reading.type is ReadingType.CUSTOMER and reading.value == value


def check_submission(meter: Meter, readings: Iterable[Reading], day: date, value: Decimal,
                     today: date) -> list[Problem]:
    """Every rule the reading breaks; an empty list means it may be sent."""
    if meter.status is not MeterStatus.ACTIVE:
        return [Problem.METER_NOT_ACTIVE]
    history = counted(readings, meter.id)
    last = history[-1] if history else None
    problems = []
    if day > today:
        problems.append(Problem.FUTURE_DATE)
    if meter.installed_on is not None and day < meter.installed_on:
        problems.append(Problem.BEFORE_INSTALLATION)
    if last is not None and day < last.date:
        problems.append(Problem.BEFORE_LAST)
    if any(r.date == day and not _possible_repeat(r, value) for r in history):
        problems.append(Problem.SAME_DAY)
    if last is not None and value < last.value:
        problems.append(Problem.BELOW_LAST)
    return problems


def average_daily(history: list[Reading]) -> Decimal | None:
    """Average daily consumption over about the last twelve months of counted readings; None without two."""
    if len(history) < 2:
        return None
    last = history[-1]
    inside = [r for r in history[:-1] if r.date >= last.date - WINDOW]
    first = inside[0] if inside else history[-2]
    days = (last.date - first.date).days
    if days <= 0:
        return None
    return max(Decimal(0), (last.value - first.value) / days)


def usual_ceiling(readings: Iterable[Reading], day: date, meter_id: str | None = None) -> Decimal | None:
    """The highest value taken without a confirmation on that day; None when there is nothing to compare."""
    history = counted(readings, meter_id)
    if not history:
        return None
    last = history[-1]
    daily = average_daily(history)
    days = max(1, (day - last.date).days)
    return last.value + FACTOR * (DEFAULT_DAILY if daily is None else daily) * days + FLOOR


def is_unusual(readings: Iterable[Reading], day: date, value: Decimal, meter_id: str | None = None) -> bool:
    """Far above the usual consumption: a typo, a leak or a real change, so the customer confirms it."""
    ceiling = usual_ceiling(readings, day, meter_id)
    return ceiling is not None and value > ceiling
