"""The demo accounts (kowalski, nowak, nowy): only where the configuration lists them, i.e. config/demo.py."""

from __future__ import annotations

from flask import current_app

from gateway.accounts import audit
from gateway.accounts.passwords import passwords
from gateway.accounts.service import AccountError, find_account
from gateway.accounts.terms import accept_terms, current_terms
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account


def create_demo_accounts(reset: bool = False) -> list[str]:
    """Create each listed account that is missing (or restore all with reset); returns what was done."""
    if current_app.config.get("PRODUCTION"):
        raise AccountError("demo accounts are never created in production")
    specs = current_app.config.get("DEMO_ACCOUNTS") or []
    if not specs:
        raise AccountError("this configuration lists no demo accounts (run with IBOK_PROFILE=demo)")
    done = [_ensure(spec, reset) for spec in specs]
    db().commit()
    return done


def _ensure(spec: dict, reset: bool) -> str:
    account = find_account(spec["login"])
    if account is not None and not reset:
        return f"{spec['login']}: exists, unchanged"
    if account is None:
        account = Account(login=spec["login"], session_version=1, locked=False)
        db().add(account)
    _apply(account, spec)
    audit.record("account.demo_created", account, customer_id=spec["customer_id"])
    return f"{spec['login']}: {'restored' if reset else 'created'} for {spec['customer_id']}"


def _apply(account: Account, spec: dict) -> None:
    """A one-time account has never signed in; the others have accepted the current terms already."""
    account.customer_id = spec["customer_id"]
    account.email = spec["email"]
    account.password_hash = passwords().hash(spec["password"])
    account.password_is_one_time = bool(spec["one_time"])
    account.password_set_at = utcnow()
    account.locked = False
    account.session_version = (account.session_version or 0) + 1
    account.terms_ibok_version = account.terms_einvoice_version = None
    if not account.password_is_one_time:
        accept_terms(account, list(current_terms().values()), address=None)
