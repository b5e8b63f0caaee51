"""The audit log: who did what, when and from which address. Callers pass facts, never a password; e-mail addresses
in them are kept masked ("j…@example.com"), enough for staff to recognise one and no copy of the customer's data."""

from __future__ import annotations

import getpass
import json
import re
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from gateway.accounts.active import active_customer_id
from gateway.accounts.throttle import digest
from gateway.db.database import db
from gateway.db.models import Account, AuditEntry

# Keys that must never reach the log, whatever a caller passes by mistake.
SECRET_KEYS = frozenset({"password", "new_password", "current_password", "one_time_password", "token", "csrf_token"})
# An e-mail address's local part after its first character, wherever it stands in a text (a mail server's refusal).
ADDRESS_LOCAL_PART = re.compile(r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]*@(?=[A-Za-z0-9-])")


def masked_addresses(value: Any) -> Any:
    """Every e-mail address in a text as "j…@example.com"; anything else as it is."""
    return ADDRESS_LOCAL_PART.sub("\\1…@", value) if isinstance(value, str) else value


def client_address() -> str | None:
    """The request's client address (behind a proxy, as ProxyFix rewrote it); None outside a request."""
    return request.remote_addr if has_request_context() else None


def unknown_login(typed: str) -> str:
    """What matched no account may be a password typed in the wrong field: only its keyed hash is stored, which
    still links the rows of one typing."""
    return "unknown:" + digest(typed.strip().lower())[:32]


def _actor(account: Account | None) -> str:
    if has_request_context():
        return "customer" if account is not None else "anonymous"
    try:
        return f"staff:{getpass.getuser()}"
    except (KeyError, OSError):
        return "staff"


def _current_account() -> Account | None:
    if has_request_context() and isinstance(current_user, Account):
        return current_user
    return None


def record(action: str, account: Account | None = None, login: str | None = None,
           **detail: Any) -> AuditEntry:
    """Add an entry to the current database session; the caller's commit stores it with the change it describes."""
    account = account or _current_account()
    safe = {key: masked_addresses(value) for key, value in detail.items() if key not in SECRET_KEYS}
    signed_in = _current_account()
    if account is not None and signed_in is not None and account.id == signed_in.id and signed_in.links:
        safe.setdefault("customer_id", active_customer_id(signed_in))  # which of its customers the entry is about
    entry = AuditEntry(
        actor=_actor(account),
        account_id=account.id if account else None,
        login=(account.login if account else login or None),
        action=action,
        detail=json.dumps(safe, ensure_ascii=False, default=str, sort_keys=True),
        client_address=client_address(),
    )
    if entry.login:
        entry.login = masked_addresses(entry.login)[:64]  # a reset asked for by e-mail address
    db().add(entry)
    return entry
