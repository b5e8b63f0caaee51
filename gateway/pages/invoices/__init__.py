"""Invoices: the list with filters and paging, the details with line items, the PDF to preview or download."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from gateway.web.nav import add_nav_entry

bp = Blueprint("invoices", __name__, url_prefix="/invoices")
add_nav_entry(bp, "index", _l("Invoices"), order=400)

from gateway.pages.invoices import views  # noqa: E402,F401  (the views register on bp)
