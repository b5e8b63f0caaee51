"""Settlements: the ledger as a Polish account statement (Winien / Ma), open and settled apart, by year, with a CSV."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from gateway.web.nav import add_nav_entry

bp = Blueprint("settlements", __name__, url_prefix="/settlements")
add_nav_entry(bp, "index", _l("Settlements"), order=500)

from gateway.pages.settlements import views  # noqa: E402,F401  (the views register on bp)
