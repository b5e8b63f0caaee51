"""The meter pages: thin views over meters/service.py."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import fields, validate

from adapters.core.records import MeterStatus
from gateway import clock
from gateway.erp.billing import billing
from gateway.erp.premises import with_premises
from gateway.pages.meters import NEEDS, bp
from gateway.pages.meters.service import filter_meters, legalisation, replaced_by, replaces
from gateway.web.labels import METER_STATUSES
from gateway.web.nav import needs_operations
from gateway.web.ownership import customer_id, own_meter
from gateway.web.paging import paginate
from gateway.web.query import QuerySchema, page_number, parse_query

SERIAL_MAX = 32
PER_PAGE = 20
LABELS = {"serial": _l("Serial number"), "status": _l("Status"), "page": _l("Page")}


class MeterQuery(QuerySchema):
    serial = fields.String(load_default=None, validate=[validate.Length(max=SERIAL_MAX),
                                                        validate.Regexp(r"^[A-Za-z0-9 ./_-]*$")])
    status = fields.Enum(MeterStatus, by_value=True, load_default=None)
    page = page_number()


def _all_meters() -> tuple[list, dict[str, str]]:
    port, owner = billing(), customer_id()
    return with_premises(port, owner, lambda: port.list_meters(owner))


@bp.get("/")
@login_required
@needs_operations(*NEEDS)
def index() -> tuple[str, int]:
    """A bad filter value is dropped with a message (400); the list still shows."""
    parsed = parse_query(MeterQuery, LABELS)
    meters, premises = _all_meters()
    values = parsed.values
    shown = filter_meters(meters, values["serial"], values["status"])
    page = render_template(
        "meters/index.html", page=paginate(shown, values["page"], PER_PAGE), total=len(meters), premises=premises,
        serial=values["serial"] or "", status=values["status"], statuses=METER_STATUSES,
        errors=parsed.errors, today=clock.today(), legalisation=legalisation,
        args={key: value for key, value in (("serial", values["serial"]), ("status", values["status"])) if value},
    )
    return page, parsed.status


@bp.get("/<meter_id>")
@login_required
@needs_operations(*NEEDS)
def details(meter_id: str) -> str:
    meter = own_meter(meter_id)
    meters, premises = _all_meters()
    return render_template(
        "meters/details.html", meter=meter, premise=premises.get(meter.premise_id, meter.premise_id),
        statuses=METER_STATUSES, state=legalisation(meter, clock.today()),
        replaced_by=replaced_by(meters, meter), replaces=replaces(meters, meter),
    )
