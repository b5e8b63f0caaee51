"""Password reset by e-mail: a signed, time-limited link that stops working once the password changes."""

from __future__ import annotations

import hashlib
import hmac
from typing import Callable

from flask import copy_current_request_context, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from gateway.accounts import audit
from gateway.accounts.audit import client_address
from gateway.accounts.mail import MailError, in_language, send_mail
from gateway.accounts.notices import PASSWORD, RESET, Change, notice_after
from gateway.accounts.password_change import set_new_password
from gateway.accounts.throttle import forget_login, reserve_all, reset_buckets
from gateway.db.database import db
from gateway.db.models import Account
from gateway.pages.auth import bp
from gateway.pages.auth.forms import ResetRequestForm
from gateway.pages.auth.signing_in import audit_throttled
from gateway.web.forms import NewPasswordForm

SALT = "ibok-password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(account: Account) -> str:
    """Changes with the password hash and the e-mail address, so a used link, one older than a new password
    or one sent to an address the office has since replaced is dead."""
    held = f"{account.password_hash}\n{account.email.strip().lower()}"
    return hashlib.sha256(held.encode("utf-8")).hexdigest()[:24]


def make_reset_token(account: Account) -> str:
    return _serializer().dumps({"a": account.id, "f": _fingerprint(account)})


def account_for_token(token: str) -> Account | None:
    """The account a valid, unexpired, unused link belongs to; None for anything else."""
    try:
        data = _serializer().loads(token, max_age=int(current_app.config["RESET_LINK_MAX_AGE"]))
        account = db().get(Account, int(data["a"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if account is None or account.locked or not hmac.compare_digest(str(data.get("f")), _fingerprint(account)):
        return None
    return account


def matching_accounts(typed: str) -> list[Account]:
    typed = typed.strip().lower()
    column = Account.email if "@" in typed else Account.login
    return list(db().scalars(select(Account).where(func.lower(column) == typed, Account.locked.is_(False))))


def send_reset_link(account: Account) -> None:
    """Built from PORTAL_URL, never from the request's Host header, which an attacker controls; in the account's
    language, not in that of whoever asked."""
    path = url_for("auth.reset_password", token=make_reset_token(account))
    link = current_app.config["PORTAL_URL"].rstrip("/") + path
    minutes = int(current_app.config["RESET_LINK_MAX_AGE"]) // 60
    with in_language(account.language):
        subject = _("Setting a new password in the customer portal (IBOK)")
        body = render_template("mail/password_reset.txt", account=account, link=link, minutes=minutes)
    try:
        send_mail(account.email, subject, body)
        audit.record("password_reset.link_sent", account)
    except MailError as error:
        # The mail server's words may quote the address: the line names the account's number, the audit log why.
        current_app.logger.error("password reset mail for account %d not sent: the mail server did not take it (the "
                                 "audit log has why)", account.id)
        audit.record("password_reset.mail_failed", account, error=str(error))


@bp.route("/password-reset", methods=["GET", "POST"])
def reset_request() -> Response | tuple[str, int]:
    """The same answer, in the same time, whether or not the login or e-mail exists: the e-mail goes out
    only once the answer has been sent. Repeated requests are slowed down."""
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_request.html", form=form), 400 if form.is_submitted() else 200
    typed = (form.login_or_email.data or "").strip()
    buckets = reset_buckets(typed, client_address())
    wait = reserve_all(buckets)
    account_ids = [] if wait else [account.id for account in matching_accounts(typed)]
    # What matched no account may be a password typed in the wrong field: only its keyed hash is logged.
    if wait:
        audit_throttled("password_reset.throttled", typed, wait)
    else:
        audit.record("password_reset.requested", login=typed if account_ids else audit.unknown_login(typed))
    db().commit()
    flash(_("If the data match an account, we have sent an e-mail with a link to set a new password."), "info")
    response = redirect(url_for("auth.sign_in"))
    if account_ids:
        response.call_on_close(_links_sender(account_ids))
    return response


def _links_sender(account_ids: list[int]) -> Callable[[], None]:
    """Sending takes as long as the mail server makes it: done after the answer, in a copy of this request."""

    @copy_current_request_context
    def send_links() -> None:
        for account_id in account_ids:
            account = db().get(Account, account_id)
            if account is not None:
                send_reset_link(account)
        db().commit()

    return send_links


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    account = account_for_token(token)
    if account is None:
        return render_template("auth/reset_invalid.html"), 400
    form = NewPasswordForm()
    form.account, form.compare_with_stored = account, True
    if not form.validate_on_submit():
        return render_template("auth/reset_password.html", form=form, login=account.login)
    set_new_password(account, form.new_password.data or "")
    forget_login(account.login)
    audit.record("password.reset", account)
    db().commit()
    session.clear()
    flash(_("Your password has been changed. Please sign in with the new password."), "success")
    response = redirect(url_for("auth.sign_in"))
    notice_after(response, account.id, Change(PASSWORD, RESET, account.password_set_at))
    return response
