"""Signed-in sessions: a fresh session at sign-in, idle and absolute timeouts, server-side revocation."""

from __future__ import annotations

import secrets

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import RowMapping, bindparam, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.wrappers import Response

from gateway.accounts.terms import needs_onboarding
from gateway.clock import epoch, utcnow
from gateway.db.database import db, engine_of
from gateway.db.models import Account, AccountLink
from gateway.web.extensions import login_manager

# Pages a signed-in customer may open before accepting the terms and setting a password.
ONBOARDING_ENDPOINTS = frozenset({"auth.first_sign_in", "auth.sign_out", "auth.terms", "static", "i18n.switch",
                                  "branding.logo"})
# The last-seen time is rewritten at most this often: each rewrite re-signs the cookie and sends it again.
# The idle timeout may so end a session up to this much early, never late.
SEEN_AT_RESOLUTION_SECONDS = 30
# The account's row by id, once per linked customer (or once with none): every signed-in page reads it once, to
# check the session version and to know which customers it may show.
LINKS = AccountLink.__table__
ACCOUNT_ROW = (select(Account.__table__, LINKS.c.id.label("link_id"), LINKS.c.customer_id.label("link_customer_id"))
               .outerjoin(LINKS, LINKS.c.account_id == Account.__table__.c.id)
               .where(Account.__table__.c.id == bindparam("account_id"))
               .order_by(LINKS.c.customer_id))
LINK_COLUMNS = ("link_id", "link_customer_id")


@login_manager.user_loader
def load_account(user_id: str) -> Account | None:
    """The cookie names an account and its session version; an old version (signed out, new password) is refused.
    One Core query per request, its row made an Account as the ORM would load it, at half the ORM load's cost."""
    account_id, _, version = user_id.partition(":")
    if not (account_id.isdigit() and version.isdigit()):
        return None
    with engine_of(current_app).connect() as connection:
        rows = connection.execute(ACCOUNT_ROW, {"account_id": int(account_id)}).mappings().all()
    row = rows[0] if rows else None
    if row is None or row["session_version"] != int(version) or row["locked"]:
        return None
    account = Account(**{key: value for key, value in row.items() if key not in LINK_COLUMNS})
    make_transient_to_detached(account)  # as if loaded: never taken for a new row
    set_committed_value(account, "links", [_link(account, found) for found in rows if found["link_id"] is not None])
    return account


def _link(account: Account, row: RowMapping) -> AccountLink:
    link = AccountLink(id=row["link_id"], account_id=account.id, customer_id=row["link_customer_id"])
    make_transient_to_detached(link)
    return link


def signed_in_account() -> Account:
    """The signed-in account, for reading (as loaded for this request, or just signed in); anyone else is
    asked to sign in."""
    if not isinstance(current_user, Account):  # Flask-Login's proxy answers for the account it holds
        abort(login_manager.unauthorized())
    return current_user


def current_account() -> Account:
    """The signed-in account's row in the request's database session, for changing it; an account deleted
    since the page began asks to sign in again rather than failing the change."""
    account = db().get(Account, signed_in_account().id)
    if account is None:
        abort(login_manager.unauthorized())
    return account


@login_manager.unauthorized_handler
def ask_to_sign_in() -> Response:
    """Back to the sign-in page, remembering only this portal's own path to return to."""
    if not g.get("session_expired"):
        flash(_l("Please sign in to see this page."), "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=target))


def start_session(account: Account) -> None:
    """Throw away everything the pre-sign-in session held (fixation), then sign in with new timestamps."""
    session.clear()
    login_user(account)
    now = int(epoch())
    session["auth_at"] = now
    session["seen_at"] = now
    session["sid"] = secrets.token_urlsafe(16)
    account.last_sign_in_at = utcnow()


def end_session(account: Account | None) -> None:
    """Sign out here and everywhere: the bumped version kills copies of this cookie too."""
    if account is not None:
        account.end_sessions()
        db().commit()
    logout_user()
    session.clear()


def _expired(now: float) -> bool:
    config = current_app.config
    # Fractions count: half an hour is 1800 s, never truncated to none.
    idle = now - float(session.get("seen_at", 0)) > float(config["SESSION_IDLE_MINUTES"]) * 60
    absolute = now - float(session.get("auth_at", 0)) > float(config["SESSION_ABSOLUTE_HOURS"]) * 3600
    return idle or absolute


def enforce_timeouts() -> None:
    """Runs before the account is loaded: an idle or too old session is emptied, and the page asks to sign in."""
    if "_user_id" not in session or request.endpoint == "static":
        return
    now = epoch()
    if _expired(now):
        session.clear()
        g.session_expired = True
        flash(_l("Your session has expired. Please sign in again."), "info")
        return
    if now - float(session.get("seen_at", 0)) >= SEEN_AT_RESOLUTION_SECONDS:
        session["seen_at"] = int(now)


def require_onboarding() -> Response | None:
    """Until the terms are accepted and the one-time password replaced, only the first sign-in page opens."""
    if request.endpoint in ONBOARDING_ENDPOINTS or request.endpoint is None:
        return None
    if current_user.is_authenticated and needs_onboarding(signed_in_account()):
        return redirect(url_for("auth.first_sign_in"))
    return None
