"""The confirmation form: what is paid for and the amount the customer saw, under a key fixed when it was drawn."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import UUID, AnyOf, DataRequired, Regexp

from gateway.payments.model import KIND_INVOICES, KIND_OVERDUE
from gateway.web.forms import PortalForm

# Up to this many invoices in one payment: more than a page of the invoice list holds.
MAX_INVOICES = 50


class PayForm(PortalForm):
    """The key makes a double click, the back button or a resubmit find the payment already started."""

    idempotency_key = HiddenField(validators=[DataRequired(), UUID()])
    kind = HiddenField(validators=[AnyOf((KIND_INVOICES, KIND_OVERDUE))])
    # What the confirmation page showed, to notice that the ERP's figure changed meanwhile; never what is charged.
    amount = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,10}\.\d{2}$")])
