"""A customer's own new password, whether set at first sign-in, after a reset link or in the settings."""

from __future__ import annotations

from gateway.accounts import audit
from gateway.accounts.audit import client_address
from gateway.accounts.passwords import passwords
from gateway.accounts.throttle import record_failure, seconds_to_wait, sign_in_buckets
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account


def set_new_password(account: Account, password: str) -> None:
    """Store the customer's own password and end every other session; the caller starts a fresh one."""
    account.password_hash = passwords().hash(password)
    account.password_is_one_time = False
    account.password_set_at = utcnow()
    account.end_sessions()


def current_password_ok(account: Account, password: str) -> bool:
    """A wrong current password counts like a failed sign-in, so changing it is no way around throttling."""
    buckets = sign_in_buckets(account.login, client_address())
    if seconds_to_wait(buckets):
        return False
    if passwords().verify(account.password_hash, password):
        return True
    record_failure(buckets)
    audit.record("password.change_failed", account, reason="wrong current password")
    db().commit()
    return False
