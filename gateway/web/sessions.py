"""Signed-in sessions: a fresh session at sign-in, idle and absolute timeouts, server-side revocation."""

from __future__ import annotations

import secrets
from functools import cache

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy.engine import Dialect
from werkzeug.wrappers import Response

from gateway.accounts.terms import needs_onboarding
from gateway.clock import epoch, utcnow
from gateway.db.database import db, engine_of
from gateway.db.models import Account, SignedInAccount, signed_in_query
from gateway.web.extensions import login_manager

# Pages a signed-in customer may open before accepting the terms and setting a password.
ONBOARDING_ENDPOINTS = frozenset({"auth.first_sign_in", "auth.sign_out", "auth.terms", "static", "i18n.switch",
                                  "branding.logo"})
# The last-seen time is rewritten at most this often: each rewrite re-signs the cookie and sends it again,
# which was a twentieth of a cached page's time (BENCHMARKS.md, figure 1). The idle timeout may so end a
# session up to this much early, never late.
SEEN_AT_RESOLUTION_SECONDS = 30
SIGNED_IN_QUERY = signed_in_query()


@login_manager.user_loader
def load_account(user_id: str) -> SignedInAccount | None:
    """The cookie names an account and its session version; an old version (signed out, new password) is refused.
    Read on every request, so one plain query on a pooled connection, without an ORM session."""
    account_id, _, version = user_id.partition(":")
    if not (account_id.isdigit() and version.isdigit()):
        return None
    account = read_signed_in(int(account_id))
    return account if account is not None and account.session_version == int(version) and not account.locked else None


def read_signed_in(account_id: int) -> SignedInAccount | None:
    """SIGNED_IN_QUERY on a pooled connection of the driver itself: SQLAlchemy's execution and result
    layers cost three times the query (BENCHMARKS.md, figure 1)."""
    engine = engine_of(current_app)
    statement, order = driver_statement(engine.dialect)
    values = {"account_id": account_id}
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(statement, [values[name] for name in order] if order is not None else values)
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()  # back to the pool, rolled back
    return SignedInAccount.from_row(row) if row is not None else None


@cache
def driver_statement(dialect: Dialect) -> tuple[str, list[str] | None]:
    """SIGNED_IN_QUERY as the database's own SQL, and its parameters' order when the driver takes a list."""
    compiled = SIGNED_IN_QUERY.compile(dialect=dialect)
    return compiled.string, compiled.positiontup


def signed_in() -> SignedInAccount | Account:
    """Who is signed in, for reading: the per-request snapshot (or the account just signed in)."""
    return current_user._get_current_object()


def current_account() -> Account:
    """The signed-in account as an ORM object, for changing it (loaded on first use in the request);
    a row deleted meanwhile is a signed-out session."""
    user = signed_in()
    if isinstance(user, Account):
        return user
    account = db().get(Account, user.id)
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
    idle = now - float(session.get("seen_at", 0)) > int(config["SESSION_IDLE_MINUTES"]) * 60
    absolute = now - float(session.get("auth_at", 0)) > int(config["SESSION_ABSOLUTE_HOURS"]) * 3600
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
    if current_user.is_authenticated and needs_onboarding(signed_in()):
        return redirect(url_for("auth.first_sign_in"))
    return None


def init_sessions(app: Flask) -> None:
    app.before_request(enforce_timeouts)
    app.before_request(require_onboarding)
