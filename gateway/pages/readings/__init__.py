"""Readings: each meter's history with a consumption chart and CSV export, and submitting a reading."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from gateway.web.nav import add_nav_entry

# The ERP operations every page of the module needs: without them it has no menu entry and answers 404.
NEEDS = ("list_meters", "list_readings")
bp = Blueprint("readings", __name__, url_prefix="/readings")
add_nav_entry(bp, "index", _l("Readings"), order=300, needs=NEEDS)

from gateway.pages.readings import views  # noqa: E402,F401  (the views register on bp)
