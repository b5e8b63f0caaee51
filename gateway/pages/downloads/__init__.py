"""Downloads: the utility's public documents (forms, tariffs, regulations) and the customer's own."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from gateway.web.nav import add_nav_entry

# The ERP operations every page of the module needs: without them it has no menu entry and answers 404.
NEEDS = ("list_documents", "get_document")
bp = Blueprint("downloads", __name__, url_prefix="/downloads")
add_nav_entry(bp, "index", _l("Downloads"), order=600, needs=NEEDS)

from gateway.pages.downloads import views  # noqa: E402,F401  (the views register on bp)
