"""The settings pages: thin views over settings/service.py."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from gateway.accounts import audit
from gateway.accounts.notices import PASSWORD, SETTINGS, Change, notice_after
from gateway.accounts.password_change import check_current_password, set_new_password
from gateway.accounts.terms import EINVOICE, EINVOICE_CONSENT, IBOK
from gateway.accounts.throttle import wait_message
from gateway.db.database import db
from gateway.notify.kinds import CONSENT_DOCUMENTS, EMAIL, SMS, SMS_CONSENT_DOCUMENTS
from gateway.notify.subscriptions import apply_choices, switched_on
from gateway.pages.settings import bp
from gateway.pages.settings.forms import (
    EinvoiceForm,
    RemindersForm,
    chosen_kinds,
    new_einvoice_form,
    reminders_form,
    sms_reminders_form,
)
from gateway.pages.settings.service import einvoice_state, latest_consents, set_einvoice
from gateway.web.forms import ChangePasswordForm
from gateway.web.nav import needs_operations
from gateway.web.ownership import customer_id
from gateway.web.sessions import current_account, start_session

CONSENT_TITLES = {
    IBOK: _l("Portal terms (Regulamin IBOK)"),
    EINVOICE: _l("E-invoice terms (Regulamin e-faktury)"),
    EINVOICE_CONSENT: _l("E-invoices instead of paper"),
    **{document: kind.label for document, kind in CONSENT_DOCUMENTS.items()},
    **{document: _l("%(kind)s (SMS)", kind=kind.label) for document, kind in SMS_CONSENT_DOCUMENTS.items()},
}

# The e-invoice switch needs the ERP to take the consent.
CONSENT = "set_einvoice_consent"


def _page(password_form: ChangePasswordForm | None = None, status: int = 200) -> tuple[str, int]:
    account = current_account()
    form = password_form or ChangePasswordForm(formdata=None)
    form.account = account
    page = render_template(
        "settings/index.html",
        account=account,
        password_form=form,
        einvoice_form=new_einvoice_form(),
        consents=latest_consents(account),
        einvoice=einvoice_state(customer_id()),
        consent_titles=CONSENT_TITLES,
        reminders_form=reminders_form(switched_on(account.id)),
        sms_reminders_form=sms_reminders_form(switched_on(account.id, SMS)) if current_app.config["SMS_ENABLED"]
        else None,
    )
    return page, status


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    return _page()


@bp.post("/password")
@login_required
def change_password() -> Response | tuple[str, int]:
    """A new password ends every other session; this one continues with a fresh cookie."""
    account = current_account()
    form = ChangePasswordForm()
    form.account = account
    if not form.validate_on_submit():
        return _page(form, 400)
    wait = check_current_password(account, form.current_password.data or "")
    if wait is not None:
        form.current_password.errors = [wait_message(wait) if wait else _("The current password is incorrect.")]
        return _page(form, 429 if wait else 400)
    set_new_password(account, form.new_password.data or "")
    audit.record("password.changed", account, reason="settings")
    db().commit()
    start_session(account)
    db().commit()
    flash(_("Your password has been changed. You have been signed out on other devices."), "success")
    response = redirect(url_for("settings.index"))
    notice_after(response, account.id, Change(PASSWORD, SETTINGS, account.password_set_at))
    return response


@bp.post("/e-invoice")
@login_required
@needs_operations(CONSENT)
def switch_einvoice() -> Response:
    """Recorded at once and delivered through the outbox; the page shows where the change stands."""
    form = EinvoiceForm()
    if not form.validate_on_submit() or not (form.enable.data or form.disable.data):
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("settings.index"))
    enabled = bool(form.enable.data)
    set_einvoice(current_account(), enabled, form.idempotency_key.data or "")
    flash(_("Your choice (e-invoices on) has been accepted by the portal. It is waiting to be passed on to the "
            "billing system.") if enabled
          else _("Your choice (e-invoices off) has been accepted by the portal. It is waiting to be passed on to the "
                 "billing system."), "success")
    return redirect(url_for("settings.index"))


@bp.post("/reminders")
@login_required
def switch_reminders() -> Response:
    """Each switch that changed is recorded as a consent given or withdrawn, and audited."""
    return _save_switches(reminders_form(), EMAIL, _l("Your e-mail reminder choices have been saved."))


@bp.post("/sms-reminders")
@login_required
def switch_sms_reminders() -> Response:
    """As the e-mail switches, recorded per kind under the SMS consent documents; only while SMS_ENABLED."""
    if not current_app.config["SMS_ENABLED"]:
        abort(404)
    return _save_switches(sms_reminders_form(), SMS, _l("Your SMS reminder choices have been saved."))


def _save_switches(form: RemindersForm, channel: str, saved: LazyString) -> Response:
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("settings.index"))
    changed = apply_choices(current_account(), chosen_kinds(form), via="settings", channel=channel)
    db().commit()
    flash(str(saved) if changed else _("Nothing has changed."), "success")
    return redirect(url_for("settings.index"))
