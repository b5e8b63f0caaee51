"""The first sign-in (and any new terms version): accept the terms, replace the one-time password."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from gateway.accounts import audit
from gateway.accounts.audit import client_address
from gateway.accounts.password_change import set_new_password
from gateway.accounts.terms import TermsDocument, accept_terms, needs_onboarding, outdated_terms
from gateway.db.database import db
from gateway.db.models import Account
from gateway.pages.auth import bp
from gateway.pages.auth.forms import accept_field_name, onboarding_form
from gateway.web.sessions import current_account, start_session


def _complete(account: Account, documents: list[TermsDocument], new_password: str | None) -> None:
    accept_terms(account, documents, client_address())
    audit.record("terms.accepted", account, **{doc.key: doc.version for doc in documents})
    if new_password is not None:
        set_new_password(account, new_password)
        audit.record("password.changed", account, reason="first sign-in")
        db().commit()
        start_session(account)
    db().commit()


@bp.route("/welcome", methods=["GET", "POST"])
@login_required
def first_sign_in() -> Response | str:
    """Nothing else opens until this page is done (see sessions.require_onboarding)."""
    account = current_account()
    if not needs_onboarding(account):
        return redirect(url_for("home.index"))
    documents = outdated_terms(account)
    form = onboarding_form(documents, new_password=account.password_is_one_time)
    form.account, form.compare_with_stored = account, True
    if form.validate_on_submit():
        new_password = form.new_password.data if account.password_is_one_time else None
        _complete(account, documents, new_password)
        flash(_("Thank you. Your account is ready."), "success")
        return redirect(url_for("home.index"))
    fields = [(doc, form[accept_field_name(doc)]) for doc in documents]
    return render_template("auth/first_sign_in.html", form=form, fields=fields)
