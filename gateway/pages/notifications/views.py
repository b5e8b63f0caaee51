"""Unsubscribe: GET only asks (mail scanners open links), POST switches the kind off; the signed token is the
permission, so the POST needs no session and no CSRF token (RFC 8058's one-click POST carries neither)."""

from __future__ import annotations

from flask import abort, render_template

from gateway.db.database import db
from gateway.db.models import Account
from gateway.notify.kinds import KINDS
from gateway.notify.subscriptions import switch
from gateway.notify.tokens import UNSUBSCRIBE_PATH, Unsubscribe, read_token
from gateway.pages.notifications import bp
from gateway.web.extensions import csrf

RULE = UNSUBSCRIBE_PATH.removeprefix(bp.url_prefix or "") + "<token>"


def _target(token: str) -> tuple[Unsubscribe, Account]:
    """A forged or altered token, or one whose account is gone, is the portal's Polish 404."""
    found = read_token(token)
    account = db().get(Account, found.account_id) if found else None
    if found is None or account is None:
        abort(404)
    return found, account


@bp.get(RULE)
def confirm(token: str) -> str:
    """Changes nothing: the page only offers the button."""
    found, _account = _target(token)
    return render_template("notifications/unsubscribe.html", kind=KINDS[found.kind], token=token)


@bp.post(RULE)
@csrf.exempt
def unsubscribe(token: str) -> str:
    """Switched off and recorded as a withdrawn consent; already off is the same answer, nothing recorded."""
    found, account = _target(token)
    if switch(account, found.kind, False, via="unsubscribe-link"):
        db().commit()
    return render_template("notifications/unsubscribed.html", kind=KINDS[found.kind])
