"""The start page after sign-in: the customer's data and premises, balance, meters and latest invoices."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from adapters.core.records import PremiseKind
from gateway import clock
from gateway.erp.billing import billing
from gateway.erp.concurrent import Outcome, page_deadline
from gateway.outbox.awaiting import readings_not_taken
from gateway.pages.home.dashboard import load_dashboard
from gateway.web.nav import add_nav_entry
from gateway.web.ownership import customer_id

bp = Blueprint("home", __name__)
add_nav_entry(bp, "index", _l("Customer data"), order=0)
PREMISE_KINDS = {
    PremiseKind.HOUSE: _l("house"),
    PremiseKind.FLAT: _l("flat"),
    PremiseKind.COMMERCIAL: _l("commercial premises"),
    PremiseKind.GARDEN: _l("garden"),
}


@bp.get("/")
@login_required
def index() -> str:
    """Each part that the ERP could not give shows a short notice; the rest renders."""
    dashboard = load_dashboard(billing(), customer_id(), clock.today(), page_deadline())
    for name, part in vars(dashboard).items():
        if isinstance(part, Outcome) and not part.ok:
            current_app.logger.warning("start page without %s: %s", name, part.error)
    return render_template("home/index.html", dashboard=dashboard, premise_kinds=PREMISE_KINDS,
                           own_readings=readings_not_taken(customer_id()))
