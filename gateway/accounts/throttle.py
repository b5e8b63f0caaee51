"""Exponential delays after repeated failures, per login and per client address, capped so nobody is locked out long."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import LazyString, lazy_ngettext

from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import ThrottleCounter


@dataclass(frozen=True)
class Bucket:
    """One counter: its key and how many failures it tolerates before delays start."""

    key: str
    free_failures: int


def _key(kind: str, value: str) -> str:
    """Hash what was typed: a password pasted into the login field must not sit in the database."""
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()
    return f"{kind}:{digest}"


def sign_in_buckets(login: str, address: str | None) -> list[Bucket]:
    config = current_app.config
    return [
        Bucket(_key("login", login), int(config["THROTTLE_FREE_FAILURES_LOGIN"])),
        Bucket(_key("address", address or "unknown"), int(config["THROTTLE_FREE_FAILURES_ADDRESS"])),
    ]


def reset_buckets(typed: str, address: str | None) -> list[Bucket]:
    config = current_app.config
    return [
        Bucket(_key("reset", typed), int(config["THROTTLE_FREE_RESETS"])),
        Bucket(_key("reset-address", address or "unknown"), int(config["THROTTLE_FREE_RESETS_ADDRESS"])),
    ]


def delay_after(failures: int, free_failures: int) -> int:
    """Seconds to wait after this many failures: none while free, then doubling up to the cap."""
    if failures < free_failures:
        return 0
    config = current_app.config
    base, cap = int(config["THROTTLE_BASE_DELAY"]), int(config["THROTTLE_MAX_DELAY"])
    return min(base * 2 ** min(failures - free_failures, 30), cap)


def _counter(bucket: Bucket) -> ThrottleCounter | None:
    counter = db().get(ThrottleCounter, bucket.key)
    forget_after = timedelta(seconds=int(current_app.config["THROTTLE_FORGET_AFTER"]))
    if counter is not None and utcnow() - counter.last_failure > forget_after:
        counter.failures = 0
    return counter


def seconds_to_wait(buckets: list[Bucket]) -> int:
    """How long until the next attempt is allowed (0: now), the longest wait of all the buckets."""
    waits = [0]
    for bucket in buckets:
        counter = _counter(bucket)
        if counter is not None:
            until = counter.last_failure + timedelta(seconds=delay_after(counter.failures, bucket.free_failures))
            waits.append(max(0, int((until - utcnow()).total_seconds() + 0.999)))
    return max(waits)


def record_failure(buckets: list[Bucket]) -> None:
    for bucket in buckets:
        counter = _counter(bucket)
        if counter is None:
            counter = ThrottleCounter(key=bucket.key, failures=0)
            db().add(counter)
        counter.failures += 1
        counter.last_failure = utcnow()


def forget(bucket: Bucket) -> None:
    """A successful sign-in (or staff unlocking the account) clears the login's counter."""
    counter = db().get(ThrottleCounter, bucket.key)
    if counter is not None:
        db().delete(counter)


def forget_login(login: str) -> None:
    forget(Bucket(_key("login", login), 0))


def wait_message(seconds: int) -> LazyString:
    """The wait in whole minutes, rounded up: "try again in 0 minutes" would invite another failure."""
    minutes = max(1, math.ceil(seconds / 60))
    return lazy_ngettext(
        "Too many failed attempts. Please try again in %(num)d minute.",
        "Too many failed attempts. Please try again in %(num)d minutes.",
        minutes,
    )
