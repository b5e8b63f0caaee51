"""The reading submission form: date, value (a Polish decimal comma is fine), a note, and the confirmation
step a value far above the usual consumption needs."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import UUID, DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from adapters.core.records import ReadingSubmission
from gateway.erp.reading_rules import MAX_VALUE_TEXT, parse_value
from gateway.web.forms import REQUIRED, PortalForm
from gateway.web.i18n import format_decimal

NOTE_MAX = 500
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class ReadingForm(PortalForm):
    """The key is fixed when the page is drawn and kept on every redraw: a double click sends one reading."""

    idempotency_key = HiddenField(validators=[DataRequired(), UUID()])
    # The customer's waiting reading (outbox id) this form corrects; empty for a new reading.
    correcting = IntegerField(widget=HiddenInput(), validators=[Optional()])
    reading_date = DateField(_l("Reading date"), format=DATE_FORMATS, validators=[InputRequired(REQUIRED)])
    value = StringField(_l("Meter value (m³)"), validators=[DataRequired(REQUIRED), Length(max=MAX_VALUE_TEXT)],
                        render_kw={"inputmode": "decimal", "maxlength": MAX_VALUE_TEXT})
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=NOTE_MAX)], render_kw={"maxlength": NOTE_MAX})
    confirm = BooleanField(_l("I confirm the value"))
    reason = TextAreaField(_l("Reason for the high consumption"), validators=[Length(max=NOTE_MAX)],
                           render_kw={"maxlength": NOTE_MAX})

    def validate_value(self, field: StringField) -> None:
        if parse_value(field.data) is None:
            raise ValidationError(_l("Give the value in m³ with at most three decimals, e.g. 123,456."))

    def validate_reason(self, field: TextAreaField) -> None:
        if self.confirm.data and not (field.data or "").strip():
            raise ValidationError(_l("Please say why the consumption is this high."))

    @property
    def parsed_value(self) -> Decimal:
        return parse_value(self.value.data) or Decimal(0)

    @property
    def confirmed(self) -> bool:
        """Both halves of the second step: the box ticked and a reason given."""
        return bool(self.confirm.data and (self.reason.data or "").strip())

    @property
    def in_second_step(self) -> bool:
        return bool(self.confirm.data or (self.reason.data or "").strip())

    def correct(self, item_id: int | None) -> None:
        """Make the form correct that waiting reading (or, with None, send a new one), also when redrawn."""
        self.correcting.data = item_id
        self.correcting.raw_data = [] if item_id is None else [str(item_id)]

    def full_note(self) -> str:
        """The reason goes into the note, so the ERP's staff see why the value is high."""
        parts = [(self.reason.data or "").strip() if self.confirmed else "", (self.note.data or "").strip()]
        return "\n".join(part for part in parts if part)


def new_reading_form(today: date) -> ReadingForm:
    """A blank form for today (in Poland), with a fresh idempotency key."""
    form = ReadingForm(formdata=None)
    form.reading_date.data = today
    form.idempotency_key.data = str(uuid.uuid4())
    return form


def correction_form(item_id: int, write: ReadingSubmission) -> ReadingForm:
    """The waiting reading's values to correct, under a key of the correction's own."""
    form = new_reading_form(write.date)
    form.value.data = format_decimal(write.value, 3)
    form.note.data = write.note
    form.correct(item_id)
    return form
