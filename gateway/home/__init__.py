"""The start page after sign-in: the customer's data and premises, as the ERP holds them."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from adapters.errors import ErpError
from adapters.records import Customer, PremiseKind
from gateway.billing import billing
from gateway.nav import add_nav_entry
from gateway.sessions import current_account

bp = Blueprint("home", __name__)
add_nav_entry(bp, "index", _l("Customer data"), order=0)
PREMISE_KINDS = {
    PremiseKind.HOUSE: _l("house"),
    PremiseKind.FLAT: _l("flat"),
    PremiseKind.COMMERCIAL: _l("commercial premises"),
    PremiseKind.GARDEN: _l("garden"),
}


def load_customer(customer_id: str) -> Customer | None:
    """None when the ERP cannot answer now: the page says so instead of failing (graceful degradation)."""
    try:
        return billing().get_customer(customer_id)
    except ErpError as error:
        current_app.logger.warning("start page without customer data: %s", error)
        return None


@bp.get("/")
@login_required
def index() -> str:
    customer = load_customer(current_account().customer_id)
    return render_template("home/index.html", customer=customer, premise_kinds=PREMISE_KINDS)
