"""Messages: complaints, inquiries and requests sent to the utility, and the ones sent before with replies."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from gateway.web.nav import add_nav_entry

# The list shows what the ERP lists and what the customer sent; the form needs the ERP to take messages.
LISTING, SENDING = "list_messages", "send_message"
bp = Blueprint("messages", __name__, url_prefix="/messages")
add_nav_entry(bp, "index", _l("Messages"), order=700, needs_any=(LISTING, SENDING))

from gateway.pages.messages import views  # noqa: E402,F401  (the views register on bp)
