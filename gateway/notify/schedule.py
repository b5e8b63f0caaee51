"""The utility's reading schedule: the ERP has no such notion, so the days of the month (and optionally the months)
when customers send their meter readings are settings (READING_WINDOW_*)."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping


class ScheduleError(ValueError):
    """The reading-window settings do not describe a window; the text says which setting and why."""


def window_opened_on(today: date, config: Mapping[str, Any]) -> date | None:
    """The day the window holding today opened, or None when today is in no window (then no meter is read)."""
    first, last = int(config["READING_WINDOW_FIRST_DAY"]), int(config["READING_WINDOW_LAST_DAY"])
    months = [int(month) for month in config["READING_WINDOW_MONTHS"] or range(1, 13)]
    if not 1 <= first <= last <= 31:
        raise ScheduleError(f"READING_WINDOW_FIRST_DAY {first} and _LAST_DAY {last}: need 1 <= first <= last <= 31")
    if any(not 1 <= month <= 12 for month in months):
        raise ScheduleError(f"READING_WINDOW_MONTHS {months}: months are 1 to 12")
    if today.month not in months or not first <= today.day <= last:
        return None
    return today.replace(day=first)
