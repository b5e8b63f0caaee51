"""Sign in, sign out, and the terms texts anyone may read."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from gateway.accounts import audit
from gateway.accounts.devices import remember_device
from gateway.accounts.terms import current_terms
from gateway.accounts.throttle import login_key
from gateway.db.database import db
from gateway.pages.auth import bp
from gateway.pages.auth.forms import SignInForm
from gateway.pages.auth.signing_in import attempt_sign_in
from gateway.web.i18n import follow_account_language, keep_chosen_language
from gateway.web.security import safe_next
from gateway.web.sessions import current_account, end_session, start_session


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """One answer for every failure; the session is renewed on success (no fixation)."""
    target = safe_next(request.args.get("next"), url_for("home.index"))
    if current_user.is_authenticated:
        return redirect(target)
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form), 400 if form.is_submitted() else 200
    outcome = attempt_sign_in(form.login.data or "", form.password.data or "")
    if outcome.account is not None:
        start_session(outcome.account)
        keep_chosen_language(outcome.account)
    db().commit()
    if outcome.account is not None:
        response = redirect(target)
        remember_device(response, login_key(outcome.account.login))
        follow_account_language(outcome.account, response)
        return response
    headers = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else {}
    return render_template("auth/sign_in.html", form=form, error=outcome.message), outcome.status, headers


@bp.post("/sign-out")
def sign_out() -> Response:
    """Ends this session and every copy of its cookie, server-side."""
    if current_user.is_authenticated:
        audit.record("sign_out")
        end_session(current_account())
    else:
        end_session(None)
    flash(_("You have been signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.get("/terms/<key>")
def terms(key: str) -> str:
    """The current version of a terms document, readable before signing in."""
    document = current_terms().get(key)
    if document is None:
        abort(404)
    return render_template("auth/terms.html", document=document, text=document.text())
