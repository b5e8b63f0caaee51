"""A page per error status, and the ERP's typed errors turned into the right one."""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpNotOffered

PAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("No access"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("There is no such page, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("This page cannot be opened this way.")),
    413: (_l("Too large"), _l("The data sent is too large.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Please try again later.")),
    502: (_l("Billing system error"), _l("An error occurred on the side of the billing system. We have reported it. "
                                         "Please try again later or contact the customer office.")),
    503: (_l("Temporarily unavailable"),
          _l("The billing system is not available at the moment. Please try again in a few minutes.")),
}
NOT_OFFERED_PAGE = (_l("Page not found"), _l("This service is not offered in the portal."))
CSRF_PAGE = (_l("The form has expired"), _l("For your security the form has expired. Please go back, reload the page "
                                            "and send it again."))


# Crockford's base32: no I, L, O or U, so a reference read out on the phone cannot be misheard as another.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8


def error_reference(correlation_id: str) -> str:
    """Eight characters (40 bits) for the customer to read out, e.g. "7QK2-M9XD"; the log line of the error page
    pairs it with the request's correlation id, so staff find every line of that request."""
    number = int.from_bytes(hashlib.sha256(correlation_id.encode()).digest()[:5], "big")
    symbols = "".join(REFERENCE_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"{symbols[:4]}-{symbols[4:]}"


def error_page(status: int, title: object = None, message: object = None) -> tuple[str, int]:
    default_title, default_message = PAGES.get(status, PAGES[500])
    reference = error_reference(g.correlation_id) if g.get("correlation_id") else None
    if reference:
        current_app.logger.info("error page %d shown with reference %s", status, reference)
    page = render_template("errors/error.html", status=status, title=title or default_title,
                           message=message or default_message, reference=reference)
    return page, status


def handle_http_error(error: HTTPException) -> tuple[str, int]:
    """Includes 500 for an unhandled exception (Flask logs it first; tests see it propagate)."""
    return error_page(error.code or 500)


def handle_csrf_error(_error: CSRFError) -> tuple[str, int]:
    return error_page(400, *CSRF_PAGE)


def log_bad_response(error: ErpBadResponse) -> None:
    """The operation and the field's name for IT; the message is the contract's rule, never the value."""
    current_app.logger.error("ERP reply does not fit the contract: operation %s, field %s: %s",
                             error.operation, error.field or "-", error.message)


def bad_response_page(error: ErpBadResponse) -> tuple[str, int]:
    """A reply that does not fit will not fit in a few minutes either: the utility's fault, said so (502)."""
    log_bad_response(error)
    config = current_app.config
    utility = config.get("UTILITY_SHORT_NAME") or config.get("UTILITY_NAME")
    phone = config.get("UTILITY_PHONE")
    if phone:
        message = _("An error occurred on the side of the %(utility)s billing system. We have reported it. Please "
                    "try again later or contact the customer office, phone %(phone)s.", utility=utility, phone=phone)
    else:
        message = _("An error occurred on the side of the %(utility)s billing system. We have reported it. Please "
                    "try again later or contact the customer office.", utility=utility)
    return error_page(502, message=message)


def handle_erp_error(error: ErpError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Another customer's object looks exactly like a missing one: 404; so does what the ERP does not offer,
    with its own words. A reply that does not fit: 502. Anything else: 503, and logged."""
    if isinstance(error, ErpNotFound):
        return error_page(404)
    if isinstance(error, ErpNotOffered):
        return error_page(404, *NOT_OFFERED_PAGE)
    if isinstance(error, ErpBadResponse):
        return bad_response_page(error)
    current_app.logger.warning("ERP error shown as 503: %s", error)
    page, status = error_page(503)
    return page, status, {"Retry-After": str(int(current_app.config["RETRY_AFTER_SECONDS"]))}


def does_not_fit(error: object) -> bool:
    """The template test `unfitting`: a part of a page lost to a reply that does not fit says whose fault it is."""
    return isinstance(error, ErpBadResponse)


def init_errors(app: Flask) -> None:
    app.add_template_test(does_not_fit, "unfitting")
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(ErpError, handle_erp_error)
