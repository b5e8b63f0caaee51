"""The rules of one sign-in attempt: throttling, the same answer for unknown and wrong, locks and expiry."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from gateway.accounts import audit
from gateway.accounts.audit import client_address
from gateway.accounts.passwords import passwords
from gateway.accounts.service import find_account, one_time_password_expired
from gateway.accounts.throttle import (
    audit_bucket,
    failed,
    reserve,
    reserve_all,
    sign_in_buckets,
    succeeded,
    wait_message,
)
from gateway.db.models import Account

WRONG_CREDENTIALS = _l("Incorrect login or password.")


@dataclass(frozen=True)
class Outcome:
    """Either a signed-in account, or the message (and HTTP status) to show on the sign-in page."""

    account: Account | None = None
    message: LazyString | None = None
    status: int = 200
    retry_after: int = 0


def throttled(seconds: int) -> Outcome:
    return Outcome(message=wait_message(seconds), status=429, retry_after=seconds)


def _power_of_ten(number: int) -> bool:
    while number >= 10 and number % 10 == 0:
        number //= 10
    return number == 1


def audit_throttled(action: str, login: str, wait: int) -> None:
    """One entry when a login's client is first refused in a window, then one at 10, 100, … refusals: a client
    hammering the form cannot fill the log."""
    refused = reserve(audit_bucket(action, login, client_address())).attempts
    if _power_of_ten(refused):
        known = find_account(login) is not None
        audit.record(action, login=login if known else audit.unknown_login(login), wait_seconds=wait,
                     refused_in_window=refused)


def _refusal(account: Account) -> LazyString | None:
    """Told only to someone who knew the password, so it reveals nothing to a stranger."""
    if account.locked:
        return _l("This account is locked. Please contact the customer office.")
    if one_time_password_expired(account):
        return _l("Your one-time password has expired. Please ask the customer office for a new one.")
    return None


def _check_password(account: Account | None, password: str) -> bool:
    if account is None:
        return passwords().verify_dummy(password)
    return passwords().verify(account.password_hash, password)


def _failed(account: Account | None, login: str) -> Outcome:
    """Recorded as by an anonymous visitor: whoever typed the login has not proved to be its customer."""
    if account is None:
        audit.record("sign_in.failed", login=audit.unknown_login(login), reason="unknown login")
    else:
        audit.record("sign_in.failed", login=login, reason="wrong password")
    return Outcome(message=WRONG_CREDENTIALS)


def attempt_sign_in(login: str, password: str) -> Outcome:
    """Reserve the attempt in every bucket before the password is checked, so parallel guesses cannot all pass;
    the caller commits the audit entries and the session."""
    login = login.strip().lower()
    buckets = sign_in_buckets(login, client_address())
    wait = reserve_all(buckets)
    if wait:
        audit_throttled("sign_in.throttled", login, wait)
        return throttled(wait)
    account = find_account(login)
    if not _check_password(account, password):
        failed(buckets)
        return _failed(account, login)
    assert account is not None
    refusal = _refusal(account)
    if refusal is not None:
        audit.record("sign_in.refused", account, reason="locked" if account.locked else "one-time password expired")
        return Outcome(message=refusal, status=403)
    succeeded(buckets)
    if passwords().needs_rehash(account.password_hash):
        account.password_hash = passwords().hash(password)
    audit.record("sign_in", account)
    return Outcome(account=account)
