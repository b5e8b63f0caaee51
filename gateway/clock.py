"""One place that reads the time, so tests can move it instead of sleeping."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    """Naive UTC: what SQLite and PostgreSQL store alike without time-zone surprises."""
    return datetime.now(UTC).replace(tzinfo=None)


def epoch() -> float:
    """Seconds since the epoch, for timestamps kept in the session cookie."""
    return time.time()


def today() -> date:
    """The utility's calendar day in the configured zone: a due date passes at midnight in Poland, not in UTC."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return utcnow().replace(tzinfo=UTC).astimezone(zone).date()
