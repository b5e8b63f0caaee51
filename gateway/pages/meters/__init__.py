"""Meters: the customer's water meters, filtered by serial number and status, and the details of one."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from gateway.web.nav import add_nav_entry

# The ERP operations every page of the module needs: without them it has no menu entry and answers 404.
NEEDS = ("list_meters",)
bp = Blueprint("meters", __name__, url_prefix="/meters")
add_nav_entry(bp, "index", _l("Meters"), order=200, needs=NEEDS)

from gateway.pages.meters import views  # noqa: E402,F401  (the views register on bp)
