"""The demo accounts (kowalski, nowak, nowy, zarzadca): only where the configuration lists them, i.e. config/demo.py."""

from __future__ import annotations

from flask import current_app

from gateway.accounts import audit
from gateway.accounts.passwords import passwords
from gateway.accounts.service import AccountError, find_account
from gateway.accounts.terms import EINVOICE_CONSENT, accept_terms, current_terms
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account, AccountLink, ConsentRecord


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


RESET_COMMAND = "IBOK_PROFILE=demo .venv/bin/flask accounts demo --reset"


def _ensure(spec: dict, reset: bool) -> str:
    """One line for `make run`'s banner: what was done and the password that signs in now."""
    account = find_account(spec["login"])
    if account is not None and not reset:
        return f"{spec['login']}: exists for {_customers_text(spec)}, {_sign_in_state(account, spec)}"
    if account is None:
        account = Account(login=spec["login"], session_version=1, locked=False)
        db().add(account)
    _apply(account, spec)
    audit.record("account.demo_created", account, customer_id=spec["customer_id"])
    done = "restored" if reset else "created"
    return f"{spec['login']}: {done} for {_customers_text(spec)}, {_password_text(spec)}"


def _customers_text(spec: dict) -> str:
    """The own customer number, then the linked ones: "K-1007 (linked: K-1008, K-1009)"."""
    links = spec.get("links") or []
    return spec["customer_id"] + (f" (linked: {', '.join(links)})" if links else "")


def _password_text(spec: dict) -> str:
    return f"{'one-time ' if spec['one_time'] else ''}password {spec['password']}"


def _sign_in_state(account: Account, spec: dict) -> str:
    """A banner must not offer a password that no longer works (changed at first sign-in, or locked)."""
    if account.locked:
        return f"locked ({RESET_COMMAND} unlocks it)"
    if passwords().verify(account.password_hash or "", spec["password"]):
        return _password_text(spec)
    return f"its password was changed since ({RESET_COMMAND} restores {spec['password']})"


def _apply(account: Account, spec: dict) -> None:
    """A one-time account has never signed in; the others have accepted the current terms already."""
    account.customer_id = spec["customer_id"]
    _apply_links(account, list(spec.get("links") or []))
    account.email = spec["email"]
    account.password_hash = passwords().hash(spec["password"])
    account.password_is_one_time = bool(spec["one_time"])
    account.password_set_at = utcnow()
    account.locked = False
    account.session_version = (account.session_version or 0) + 1
    account.terms_ibok_version = account.terms_einvoice_version = None
    if not account.password_is_one_time:
        accept_terms(account, list(current_terms().values()), address=None)
        _record_einvoice_choice(account, bool(spec["einvoice"]))


def _apply_links(account: Account, wanted: list[str]) -> None:
    """Exactly the listed links: those kept stay as rows (a replaced row could clash with its own new copy)."""
    for link in [link for link in account.links if link.customer_id not in wanted]:
        account.links.remove(link)
    held = {link.customer_id for link in account.links}
    account.links.extend(AccountLink(customer_id=customer_id) for customer_id in wanted if customer_id not in held)


def _record_einvoice_choice(account: Account, enabled: bool) -> None:
    """Accepting Regulamin e-faktury consents to e-invoices (its § 2); a customer whose e-invoices the demo ERP
    has off switched them off afterwards, as the settings page records it."""
    account.consents.append(ConsentRecord(document=EINVOICE_CONSENT, version=account.terms_einvoice_version or "",
                                          granted=enabled, recorded_at=utcnow(), client_address=None))
