"""Doubling delays per login and client together, per client address, and a cap on guesses per login and hour.

A stranger's failures delay only the stranger's own client; the hourly cap bounds brute force from many addresses.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import LazyString, lazy_ngettext
from sqlalchemy import case

from gateway.accounts import counters
from gateway.accounts.devices import device_of
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import ThrottleCounter

EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Bucket:
    """One counter: its key, the attempts it lets through freely, and for a cap its window in seconds."""

    key: str
    free_failures: int
    window: int = 0
    # Counted after a failure, not reserved before the check: customers behind one address (a mobile operator's)
    # sign in at once, and their right passwords must not use up its failures.
    failures_only: bool = False


def digest(value: str) -> str:
    """A keyed hash of what was typed: a password pasted into the login field must not be readable anywhere."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def login_key(login: str) -> str:
    """`NOWAK` and ` nowak` are the same login and must share one counter."""
    return "login:" + digest(login.strip().lower())


def sign_in_buckets(login: str, address: str | None) -> list[Bucket]:
    """The delay buckets first; the cap is reserved only by an attempt they let through. A device that signed in
    to this login before counts on its own."""
    config = current_app.config
    device = device_of(login_key(login))
    if device is not None:
        return [Bucket(f"{login_key(login)}:device:{digest(device)}", int(config["THROTTLE_FREE_FAILURES_LOGIN"]))]
    client = digest(address or "unknown")
    return [
        Bucket(f"{login_key(login)}:{client}", int(config["THROTTLE_FREE_FAILURES_LOGIN"])),
        Bucket(f"address:{client}", int(config["THROTTLE_FREE_FAILURES_ADDRESS"]), failures_only=True),
        Bucket(login_key(login), int(config["THROTTLE_LOGIN_GUESSES_PER_HOUR"]), window=3600),
    ]


def reset_buckets(typed: str, address: str | None) -> list[Bucket]:
    """Counted apart from sign-ins: asking for reset links must not delay signing in, nor the reverse."""
    config = current_app.config
    return [
        Bucket("reset:" + digest(typed.strip().lower()), int(config["THROTTLE_FREE_RESETS"])),
        Bucket("reset-address:" + digest(address or "unknown"), int(config["THROTTLE_FREE_RESETS_ADDRESS"])),
    ]


def audit_bucket(action: str, login: str, address: str | None) -> Bucket:
    """Refused attempts of one kind, login and client are audited together, one window at a time."""
    window = int(current_app.config["THROTTLE_AUDIT_WINDOW"])
    return Bucket(f"audit:{action}:{login_key(login)}:{digest(address or 'unknown')}", 10**9, window=window)


def delay_after(failures: int, free_failures: int) -> int:
    """Seconds to wait after this many failures: none while free, then doubling up to the cap."""
    if failures < free_failures:
        return 0
    config = current_app.config
    base, cap = int(config["THROTTLE_BASE_DELAY"]), int(config["THROTTLE_MAX_DELAY"])
    return min(base * 2 ** min(failures - free_failures, 30), cap)


def _delay_sql(free_failures: int) -> Any:
    """delay_after as an SQL expression, so the database computes the wait in the statement that counts."""
    cap = delay_after(10**6, free_failures)

    def delay(attempts: Any) -> Any:
        steps = [(attempts < free_failures, 0)]
        extra = 0
        while delay_after(free_failures + extra, free_failures) < cap:
            steps.append((attempts == free_failures + extra, delay_after(free_failures + extra, free_failures)))
            extra += 1
        return case(*steps, else_=cap)

    return delay


def now_seconds() -> float:
    return (utcnow() - EPOCH).total_seconds()


def reserve(bucket: Bucket) -> counters.Reservation:
    """Counts one attempt in the database before anything is checked; refused attempts do not count."""
    now = now_seconds()
    if bucket.window:
        return counters.reserve_capped(bucket.key, now, bucket.window, bucket.free_failures)
    forget_before = now - int(current_app.config["THROTTLE_FORGET_AFTER"])
    return counters.reserve_delayed(bucket.key, now, forget_before, _delay_sql(bucket.free_failures))


def reserve_all(buckets: list[Bucket]) -> int:
    """0 when every bucket let this attempt through, else the seconds to wait (the first refusal's). Buckets
    before a refusing one keep the attempt: erring towards slowing a guesser down."""
    for bucket in buckets:
        if bucket.failures_only:
            wait = seconds_to_wait([bucket])
            if wait:
                return wait
            continue
        reservation = reserve(bucket)
        if not reservation.granted:
            return max(1, math.ceil(reservation.blocked_until - now_seconds()))
    return 0


def failed(buckets: list[Bucket]) -> None:
    """The password was wrong: the buckets that count only failures count this one."""
    for bucket in buckets:
        if bucket.failures_only:
            reserve(bucket)


def seconds_to_wait(buckets: list[Bucket]) -> int:
    """How long until the next attempt would be let through, without counting one."""
    waits = [0.0]
    now = now_seconds()
    for bucket in buckets:
        counter = db().get(ThrottleCounter, bucket.key)
        # A cap's blocked_until is its window's end, which binds only once the cap is used up.
        if counter is not None and not (bucket.window and counter.attempts < bucket.free_failures):
            waits.append(counter.blocked_until - now)
    return max(0, math.ceil(max(waits)))


def succeeded(buckets: list[Bucket]) -> None:
    """The password was right: the login's own delay ends and the shared buckets forget this attempt. Counters
    quiet for longer than any of them can matter go too, so the table does not grow with every guesser."""
    config = current_app.config
    keep = max(int(config["THROTTLE_FORGET_AFTER"]), int(config["THROTTLE_AUDIT_WINDOW"]), 3600)
    counters.drop(ThrottleCounter.key == buckets[0].key, ThrottleCounter.last_at < now_seconds() - keep)
    for bucket in buckets[1:]:
        if not bucket.failures_only:
            counters.release(bucket.key, now_seconds(), None if bucket.window else bucket.free_failures)


def forget_login(login: str) -> None:
    """Staff unlocking the account (or a new password) clears every delay and the cap of the login."""
    key = login_key(login)
    counters.drop(ThrottleCounter.key == key, ThrottleCounter.key.startswith(key + ":", autoescape=True))


def wait_message(seconds: int) -> LazyString:
    """The wait in whole minutes, rounded up: "try again in 0 minutes" would invite another failure."""
    minutes = max(1, math.ceil(seconds / 60))
    return lazy_ngettext(
        "Too many failed attempts. Please try again in %(num)d minute.",
        "Too many failed attempts. Please try again in %(num)d minutes.",
        minutes,
    )
