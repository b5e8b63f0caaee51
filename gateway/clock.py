"""One place that reads the time, so tests can move it instead of sleeping."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC: what SQLite and PostgreSQL store alike without time-zone surprises."""
    return datetime.now(UTC).replace(tzinfo=None)


def epoch() -> float:
    """Seconds since the epoch, for timestamps kept in the session cookie."""
    return time.time()
