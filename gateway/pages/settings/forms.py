"""The e-invoice switch; the password form is shared with the other password pages (web/forms.py)."""

from __future__ import annotations

import uuid

from wtforms import HiddenField, SubmitField
from wtforms.validators import UUID, DataRequired

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
