"""A customer's own new password, whether set at first sign-in, after a reset link or in the settings."""

from __future__ import annotations

from gateway.accounts import audit
from gateway.accounts.audit import client_address
from gateway.accounts.passwords import passwords
from gateway.accounts.throttle import failed, reserve_all, seconds_to_wait, sign_in_buckets, succeeded
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account


def set_new_password(account: Account, password: str) -> None:
    """Store the customer's own password and end every other session; the caller starts a fresh one."""
    account.password_hash = passwords().hash(password)
    account.password_is_one_time = False
    account.password_set_at = utcnow()
    account.end_sessions()


def check_current_password(account: Account, password: str) -> int | None:
    """A wrong current password counts like a failed sign-in, reserved before the check, so changing the password
    is no way around throttling. None when right, else the seconds to wait (0: wrong, no wait yet)."""
    buckets = sign_in_buckets(account.login, client_address())
    wait = reserve_all(buckets)
    if wait:
        return wait
    if passwords().verify(account.password_hash, password):
        succeeded(buckets)
        return None
    failed(buckets)
    audit.record("password.change_failed", account, reason="wrong current password")
    db().commit()
    return seconds_to_wait(buckets)
