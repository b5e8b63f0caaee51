"""The e-invoice switch; the password form is shared with the other password pages (web/forms.py)."""

from __future__ import annotations

import uuid

from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.validators import UUID, DataRequired

from gateway.notify.kinds import KINDS
from gateway.web.forms import PortalForm


class EinvoiceForm(PortalForm):
    """The key is fixed when the page is drawn, so a double click or a resent form changes the ERP once."""

    idempotency_key = HiddenField(validators=[DataRequired(), UUID()])
    enable = SubmitField()
    disable = SubmitField()


def new_einvoice_form() -> EinvoiceForm:
    form = EinvoiceForm()
    if not form.idempotency_key.data:
        form.idempotency_key.data = str(uuid.uuid4())
    return form


class RemindersForm(PortalForm):
    """One switch per kind of e-mail reminder, named as the kinds are (gateway/notify/kinds.py)."""


for _name, _kind in KINDS.items():
    setattr(RemindersForm, _name, BooleanField(_kind.label))


def reminders_form(switched_on: set[str] | None = None) -> RemindersForm:
    """Drawn with the account's switches; posted, it reads the form."""
    if switched_on is None:
        return RemindersForm()
    return RemindersForm(formdata=None, data={name: name in switched_on for name in KINDS})


def chosen_kinds(form: RemindersForm) -> set[str]:
    return {name for name in KINDS if form[name].data}


class SmsRemindersForm(RemindersForm):
    """The same switches for SMS; its fields' names carry the prefix "sms-", so both forms fit on one page."""


def sms_reminders_form(switched_on: set[str] | None = None) -> SmsRemindersForm:
    if switched_on is None:
        return SmsRemindersForm(prefix="sms")
    return SmsRemindersForm(formdata=None, prefix="sms", data={name: name in switched_on for name in KINDS})
