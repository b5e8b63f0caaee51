"""The start page after sign-in: the customer's data and premises, balance, meters and latest invoices."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from adapters.core.records import PremiseKind
from gateway import clock
from gateway.accounts.active import customer_ids
from gateway.erp.billing import billing
from gateway.erp.concurrent import Outcome, page_deadline
from gateway.outbox.awaiting import readings_not_taken
from gateway.pages.home.dashboard import load_dashboard
from gateway.pages.home.linked import linked_balances
from gateway.web.nav import add_nav_entry
from gateway.web.ownership import choose_customer, customer_id
from gateway.web.sessions import signed_in_account

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
                           own_readings=readings_not_taken(customer_id()), linked=_linked())


def _linked() -> list:
    """An account with linked customers sees all their balances at once; one without, nothing more."""
    account = signed_in_account()
    if not account.links:
        return []
    rows = linked_balances(billing(), customer_ids(account), clock.today(), page_deadline())
    for row in rows:
        if row.error is not None:
            current_app.logger.warning("linked customer's balance not shown: %s", row.error)
    return rows


@bp.post("/customer")
@login_required
def switch() -> Response:
    """Show another of the account's customers; an id the account does not hold is a 404."""
    choose_customer(request.form.get("customer"))
    return redirect(url_for("home.index"))


@bp.app_template_global()
def customer_choice() -> tuple[str, list[str]] | None:
    """The header's switcher: the customer shown and all the account's; None for an account without links."""
    if not current_user.is_authenticated or not signed_in_account().links:
        return None
    return customer_id(), customer_ids(signed_in_account())
