"""The readings pages: thin views over readings/service.py, the rules and the chart."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import fields, validate
from werkzeug.wrappers import Response

from adapters.core.errors import ErpError
from adapters.core.records import Meter, MeterStatus, Reading
from gateway import clock
from gateway.erp import reading_rules
from gateway.erp.billing import billing
from gateway.erp.concurrent import page_deadline
from gateway.erp.premises import with_premises
from gateway.outbox.limits import WriteLimitReached
from gateway.outbox.model import PENDING
from gateway.pages.readings import NEEDS, bp, service
from gateway.pages.readings.chart import PERIODS, build_chart
from gateway.pages.readings.forms import ReadingForm, correction_form, new_reading_form
from gateway.pages.readings.messages import (
    PROBLEM_FIELDS,
    READING_STATUSES,
    READING_TYPES,
    SENDING_NO_CHANGE,
    SENDING_NO_WITHDRAWAL,
    problem_text,
)
from gateway.web.exports import csv_response
from gateway.web.forms import PortalForm
from gateway.web.i18n import format_date, format_decimal
from gateway.web.labels import METER_STATUSES
from gateway.web.nav import needs_operations, offers
from gateway.web.ownership import customer_id, own_meter
from gateway.web.paging import paginate
from gateway.web.query import QuerySchema, page_number, parse_query

LABELS = {"page": _l("Page"), "year": _l("Year"), "correct": _l("Reading to correct")}


# Submitting, correcting and withdrawing a reading need the ERP to take readings.
WRITE = "submit_reading"


class OverviewQuery(QuerySchema):
    page = page_number()


class HistoryQuery(QuerySchema):
    page = page_number()
    year = fields.Integer(load_default=None, validate=validate.Range(min=1900, max=2100))
    correct = fields.Integer(load_default=None, validate=validate.Range(min=1))


@bp.get("/")
@login_required
@needs_operations(*NEEDS)
def index() -> tuple[str, int]:
    """Meters in use with their last reading, a page of meters at a time (one ERP call per meter shown)."""
    parsed = parse_query(OverviewQuery, LABELS)
    port, owner = billing(), customer_id()
    meters, premises = with_premises(port, owner, lambda: port.list_meters(owner))
    page = paginate(service.in_use(meters), parsed.values["page"], service.OVERVIEW_PER_PAGE)
    items = service.last_readings(port, owner, page.items, page_deadline())
    html = render_template("readings/index.html", page=page, items=items, premises=premises,
                           errors=parsed.errors, types=READING_TYPES, statuses=READING_STATUSES)
    return html, parsed.status


def _readings(meter: Meter) -> list[Reading] | None:
    """None when the ERP cannot answer now: the page still shows the meter and keeps the form."""
    try:
        return billing().list_readings(customer_id(), meter.id)
    except ErpError as error:
        current_app.logger.warning("readings page without history: %s", error)
        return None


def _history(meter: Meter, form: ReadingForm | None, status: int = 200, form_error: str | None = None,
             ceiling: object = None) -> tuple[str, int]:
    parsed = parse_query(HistoryQuery, LABELS)
    readings = _readings(meter)
    year = parsed.values["year"]
    history = {}
    if readings is not None:
        history = {"page": service.history_page(readings, year, parsed.values["page"]),
                   "chart": build_chart(readings, year), "years": service.years(readings),
                   "last": reading_rules.last_reading(readings, meter.id),
                   "args": {"meter_id": meter.id, **({"year": year} if year else {})}}
    shown = {reading.date for reading in readings or ()}
    html = render_template(
        "readings/history.html", meter=meter, form=form, form_error=form_error, ceiling=ceiling,
        submissions=service.meter_submissions(customer_id(), meter.id), shown=shown,
        action_form=PortalForm(formdata=None), readings=readings, year=year, periods=PERIODS, errors=parsed.errors,
        types=READING_TYPES, statuses=READING_STATUSES, meter_statuses=METER_STATUSES, **history,
    )
    return html, status if status != 200 else parsed.status


def _form_for(meter: Meter, correct: int | None) -> ReadingForm:
    """A new reading's form; with ?correct=<id>, the customer's waiting reading to correct (404 if not theirs)."""
    if correct is None:
        return new_reading_form(clock.today())
    sent = dict(service.meter_submissions(customer_id(), meter.id))
    item = next((item for item in sent if item.id == correct), None)
    if item is None:
        abort(404)
    if item.status != PENDING:
        flash(_("This reading has already been passed on to the billing system, so it can no longer be changed "
                "here. Please contact the customer office to correct it."), "error")
        return new_reading_form(clock.today())
    if not item.changeable_by_customer:
        flash(str(SENDING_NO_CHANGE), "error")
        return new_reading_form(clock.today())
    return correction_form(item.id, sent[item])


@bp.get("/<meter_id>")
@login_required
@needs_operations(*NEEDS)
def history(meter_id: str) -> tuple[str, int]:
    meter = own_meter(meter_id)
    correct = parse_query(HistoryQuery, LABELS).values["correct"]
    form = _form_for(meter, correct) if meter.status is MeterStatus.ACTIVE and offers(WRITE) else None
    return _history(meter, form)


def _show_stop(form: ReadingForm, meter: Meter, result: service.SubmitResult) -> str | None:
    """Each broken rule next to its field; a rule without a field comes back as the form's own message."""
    day_text = format_date(form.reading_date.data)
    general = None
    for problem in result.problems:
        text = problem_text(problem, meter, result.last, day_text)
        name = PROBLEM_FIELDS[problem]
        if name is None:
            general = text
        else:
            field = getattr(form, name)
            field.errors = [*field.errors, text]
    return general


def _same_day(form: ReadingForm, sent: service.Sent) -> tuple[str, int]:
    """The customer's own reading of that day: one still waiting is offered for correction with the new value
    (the form, sent again, replaces it); one being passed on or taken already can be changed only by the office."""
    item, write = sent
    if item.changeable_by_customer:
        form.correct(item.id)
        return _("Your reading dated %(date)s (%(value)s m³) is still waiting to be passed on, and only one reading "
                 "a day is possible. To correct it to the value below, please send the form again.",
                 date=format_date(write.date), value=format_decimal(write.value, 3)), 409
    if item.status == PENDING:
        return _("Your reading dated %(date)s (%(value)s m³) is being passed on to the billing system and may already "
                 "be there; only one reading a day is possible. Once it shows as taken, please contact the customer "
                 "office to change it.", date=format_date(write.date), value=format_decimal(write.value, 3)), 409
    return _("Your reading dated %(date)s (%(value)s m³) has been taken by the billing system and will show here "
             "shortly; only one reading a day is possible. To change it, please contact the customer office.",
             date=format_date(write.date), value=format_decimal(write.value, 3)), 422


def _stopped(meter: Meter, form: ReadingForm, result: service.SubmitResult) -> tuple[str, int]:
    """The form redrawn with the customer's values and what stopped it."""
    if result.same_day is not None:
        text, status = _same_day(form, result.same_day)
        return _history(meter, form, status, text)
    if result.too_late:
        form.correct(None)
        return _history(meter, form, 409, _("The reading you were correcting has been passed on to the billing "
                                            "system meanwhile, so it can no longer be changed here. Please contact "
                                            "the customer office to correct it."))
    if result.sending:
        form.correct(None)
        return _history(meter, form, 409, str(SENDING_NO_CHANGE))
    return _history(meter, form, 422, _show_stop(form, meter, result), result.ceiling)


@bp.post("/<meter_id>")
@login_required
@needs_operations(*NEEDS, WRITE)
def submit(meter_id: str) -> Response | tuple[str, int]:
    """Checked here first, then sent once; every refusal redraws the form with the customer's values."""
    meter = own_meter(meter_id)
    form = ReadingForm()
    if meter.status is not MeterStatus.ACTIVE:
        return _history(meter, None, 422, problem_text(reading_rules.Problem.METER_NOT_ACTIVE, meter, None, ""))
    if not form.validate_on_submit():
        return _history(meter, form, 400)
    draft = service.Draft(form.reading_date.data, form.parsed_value, form.full_note(),
                          form.idempotency_key.data or "", form.confirmed, form.correcting.data)
    try:
        result = service.submit(billing(), customer_id(), meter, draft, clock.today())
    except WriteLimitReached as refused:
        return _history(meter, form, 429, str(refused))
    if not result.done:
        return _stopped(meter, form, result)
    value = format_decimal(draft.value, 3)
    flash(_("Thank you. The reading of %(value)s m³ has been accepted by the portal. It shows below as waiting to "
            "be passed on until the billing system has taken it.", value=value) if result.accepted
          else _("Thank you. Your waiting reading has been corrected to %(value)s m³.", value=value), "success")
    return redirect(url_for("readings.history", meter_id=meter.id))


@bp.post("/<meter_id>/sent/<int:item_id>/withdraw")
@login_required
@needs_operations(*NEEDS, WRITE)
def withdraw(meter_id: str, item_id: int) -> Response:
    """Only the customer's own reading of their own meter; one passed on meanwhile, or being passed on (an attempt
    may have reached the ERP), stays, with a clear word."""
    meter = own_meter(meter_id)
    item = service.own_submission(customer_id(), meter.id, item_id)
    if item is None:
        abort(404)
    if service.withdraw(item):
        flash(_("Your reading has been withdrawn. It will not be passed on to the billing system."), "success")
    elif item.status == PENDING:
        flash(str(SENDING_NO_WITHDRAWAL), "error")
    else:
        flash(_("This reading has already been passed on to the billing system, so it can no longer be withdrawn "
                "here. Please contact the customer office to correct it."), "error")
    return redirect(url_for("readings.history", meter_id=meter.id))


@bp.get("/<meter_id>/readings.csv")
@login_required
@needs_operations(*NEEDS)
def export(meter_id: str) -> Response:
    """The whole history, oldest first, as a Polish spreadsheet opens it."""
    meter = own_meter(meter_id)
    readings = sorted(billing().list_readings(customer_id(), meter.id), key=lambda r: r.date)
    header = [_("Date"), _("Value (m³)"), _("Consumption (m³)"), _("Type"), _("Status")]
    rows = [(r.date, r.value, r.consumption, str(READING_TYPES.get(r.type, r.type)),
             str(READING_STATUSES.get(r.status, r.status))) for r in readings]
    return csv_response(f"odczyty-{meter.serial}.csv", header, rows)
