"""Settings: change the password, see the e-mail address and consents, switch e-invoices on or off."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from gateway.web.nav import add_nav_entry

bp = Blueprint("settings", __name__, url_prefix="/settings")
add_nav_entry(bp, "index", _l("Settings"), order=900)

from gateway.pages.settings import views  # noqa: E402,F401  (the views register on bp)
