"""Contracts: the customer's contracts per premise, the details of one, and its signed scan when held."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from gateway.web.nav import add_nav_entry

bp = Blueprint("contracts", __name__, url_prefix="/contracts")
add_nav_entry(bp, "index", _l("Contracts"), order=100)

from gateway.pages.contracts import views  # noqa: E402,F401  (the views register on bp)
