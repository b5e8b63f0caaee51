"""Throttle counters that reserve an attempt in one upsert, so parallel attempts cannot all pass a check."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, delete, literal, or_, update
from sqlalchemy.dialects import postgresql, sqlite

from gateway.db.database import db
from gateway.db.models import ThrottleCounter

COLUMNS = ThrottleCounter.__table__.c


@dataclass(frozen=True)
class Reservation:
    """What the database answered: whether this attempt got through, and the counter as it now stands."""

    granted: bool
    attempts: int
    window_start: float
    blocked_until: float


def _upsert(values: dict[str, Any], on_conflict: dict[str, Any]) -> Any:
    """INSERT … ON CONFLICT DO UPDATE through the dialect's own insert: SQLite and PostgreSQL spell it alike."""
    dialect = db().get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(ThrottleCounter).values(**values)
    statement = statement.on_conflict_do_update(index_elements=[COLUMNS.key], set_=on_conflict)
    return statement.returning(COLUMNS.attempts, COLUMNS.window_start, COLUMNS.blocked_until, COLUMNS.token)


def _run(statement: Any, token: str) -> Reservation:
    """Committed at once, so the row is not held locked while the password is checked."""
    row = db().execute(statement).one()
    db().commit()
    return Reservation(row.token == token, row.attempts, row.window_start, row.blocked_until)


def reserve_delayed(key: str, now: float, forget_before: float, delay: Any) -> Reservation:
    """Counts the attempt only when the counter's delay has passed; `delay(attempts)` is the SQL wait after it."""
    token = secrets.token_hex(16)
    stale = COLUMNS.last_at < forget_before
    passes = or_(stale, COLUMNS.blocked_until <= now)
    attempts = case((stale, 1), (passes, COLUMNS.attempts + 1), else_=COLUMNS.attempts)
    first = delay(literal(1))
    on_conflict = {
        "attempts": attempts,
        "blocked_until": case((stale, now + first), (passes, now + delay(COLUMNS.attempts + 1)),
                              else_=COLUMNS.blocked_until),
        "window_start": case((stale, now), else_=COLUMNS.window_start),
        "last_at": case((passes, now), else_=COLUMNS.last_at),
        "token": case((passes, token), else_=COLUMNS.token),
    }
    values = {"key": key, "attempts": 1, "window_start": now, "last_at": now, "blocked_until": now + first,
              "token": token}
    return _run(_upsert(values, on_conflict), token)


def reserve_capped(key: str, now: float, window: int, cap: int) -> Reservation:
    """Counts the attempt only while fewer than `cap` were counted since the window opened."""
    token = secrets.token_hex(16)
    expired = COLUMNS.window_start <= now - window
    passes = or_(expired, COLUMNS.attempts < cap)
    on_conflict = {
        "attempts": case((expired, 1), (passes, COLUMNS.attempts + 1), else_=COLUMNS.attempts),
        "window_start": case((expired, now), else_=COLUMNS.window_start),
        "last_at": case((passes, now), else_=COLUMNS.last_at),
        "blocked_until": case((expired, now + window), else_=COLUMNS.window_start + window),
        "token": case((passes, token), else_=COLUMNS.token),
    }
    values = {"key": key, "attempts": 1, "window_start": now, "last_at": now, "blocked_until": now + window,
              "token": token}
    return _run(_upsert(values, on_conflict), token)


def release(key: str, now: float, free_attempts: int | None = None) -> None:
    """An attempt that proved the password was no failure: it no longer counts against a shared bucket, and a
    delay it started ends once the bucket is back within its free attempts (a cap's window is left alone)."""
    left = COLUMNS.attempts - 1
    values: dict[str, Any] = {"attempts": left}
    if free_attempts is not None:
        values["blocked_until"] = case((left < free_attempts, literal(now)), else_=COLUMNS.blocked_until)
    db().execute(update(ThrottleCounter).where(COLUMNS.key == key, COLUMNS.attempts > 0).values(**values))


def drop(*conditions: ColumnElement[bool]) -> None:
    db().execute(delete(ThrottleCounter).where(or_(*conditions)))
