"""The message pages: the list, one message with its replies, and the form; thin views over service.py."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from adapters.core.errors import ErpBadResponse, ErpError
from gateway.erp.billing import billing
from gateway.erp.concurrent import page_deadline
from gateway.outbox.limits import WriteLimitReached
from gateway.pages.messages import LISTING, SENDING, bp
from gateway.pages.messages.forms import BODY_MAX, SUBJECT_MAX, MessageForm, attachment_limits
from gateway.pages.messages.service import (
    KINDS,
    STATUSES,
    link_choices,
    message_links,
    newest_first,
    send_message,
    sent_from_portal,
    sent_lately,
)
from gateway.web.errors import error_page, log_bad_response
from gateway.web.i18n import human_size
from gateway.web.nav import needs_one_of, needs_operations, offers
from gateway.web.ownership import customer_id, own_invoice, own_message, own_premise
from gateway.web.paging import paginate
from gateway.web.query import QuerySchema, page_number, parse_query


class ListQuery(QuerySchema):
    page = page_number()


@bp.get("/")
@login_required
@needs_one_of(LISTING, SENDING)
def index() -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Newest first, paged; when the ERP does not answer, the way to write a message still shows; when it lists
    no messages at all, the customer's own sent from the portal do."""
    parsed = parse_query(ListQuery, {"page": _l("Page")})
    if not offers(LISTING):
        return render_template("messages/index.html", page=None, listed=False, errors=parsed.errors,
                               waiting=sent_from_portal(customer_id()), kinds=KINDS), parsed.status
    try:
        messages = newest_first(billing().list_messages(customer_id()))
    except ErpError as error:
        return _without_list(error, parsed.errors)
    waiting = sent_lately(customer_id(), messages)
    page = paginate(messages, parsed.values["page"])
    return render_template("messages/index.html", page=page, errors=parsed.errors, kinds=KINDS,
                           statuses=STATUSES, waiting=waiting), parsed.status


def _without_list(error: ErpError, errors: list[str]) -> tuple[str, int, dict[str, str]]:
    """The form and the messages sent from the portal still show. A reply that does not fit is the utility's
    fault (502, as on every page); anything else may pass (503, try again later)."""
    page = render_template("messages/index.html", page=None, error=error, errors=errors,
                           waiting=sent_lately(customer_id(), None), kinds=KINDS)
    if isinstance(error, ErpBadResponse):
        log_bad_response(error)
        return page, 502, {}
    current_app.logger.warning("message list unavailable: %s", error)
    return page, 503, {"Retry-After": str(int(current_app.config["RETRY_AFTER_SECONDS"]))}


@bp.get("/<message_id>")
@login_required
@needs_operations(LISTING)
def detail(message_id: str) -> str:
    message = own_message(message_id)
    links = message_links(billing(), customer_id(), message, page_deadline())
    return render_template("messages/detail.html", message=message, links=links, kinds=KINDS, statuses=STATUSES)


@bp.get("/new")
@login_required
@needs_operations(SENDING)
def new() -> str:
    """?premise= and ?invoice= preselect one of the customer's own (another's is 404, as everywhere)."""
    form = MessageForm()
    form.ensure_key()
    if request.args.get("premise"):
        form.premise_id.data = own_premise(request.args["premise"]).id
    if request.args.get("invoice"):
        form.invoice_id.data = own_invoice(request.args["invoice"]).id
    return _form_page(form)[0]


@bp.post("/new")
@login_required
@needs_operations(SENDING)
def send() -> Response | tuple[str, int]:
    """Accepted at once into the outbox and delivered in the background; the list shows where it stands."""
    form = MessageForm()
    form.ensure_key()
    try:
        if not form.validate_on_submit():
            return _form_page(form, 400)
    except ErpError as error:  # the premise or invoice could not be checked against the customer's own
        current_app.logger.warning("message not accepted: %s", error)
        return _form_page(form, 503, unsent=True)
    try:
        send_message(customer_id(), form.draft())
    except WriteLimitReached as refused:
        return _form_page(form, 429, limited=str(refused))
    flash(_("Your message has been accepted. It shows in the list as waiting until the billing system has "
            "registered it and given it a case number."), "success")
    return redirect(url_for("messages.index"))


def _form_page(form: MessageForm, status: int = 200, unsent: bool = False, limited: str = "") -> tuple[str, int]:
    choices = link_choices(billing(), customer_id(), page_deadline(), form.invoice_id.data or None)
    form.offer(choices)
    max_bytes, max_files = attachment_limits()
    limits = {"size": human_size(max_bytes), "count": max_files, "subject": SUBJECT_MAX, "body": BODY_MAX,
              "total": human_size(int(current_app.config["MAX_CONTENT_LENGTH"]))}
    return render_template("messages/new.html", form=form, choices=choices, unsent=unsent, limited=limited,
                           limits=limits, submitted=form.is_submitted()), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    """The body is never read, so nothing was sent and the form cannot be redrawn: say what the limits are."""
    max_bytes, max_files = attachment_limits()
    message = ngettext("The message was not sent because the files attached are too large together. Attach at "
                       "most %(num)d file of up to %(size)s, %(total)s in total, and try again.",
                       "The message was not sent because the files attached are too large together. Attach at "
                       "most %(num)d files of up to %(size)s each, %(total)s in total, and try again.", max_files,
                       size=human_size(max_bytes), total=human_size(int(current_app.config["MAX_CONTENT_LENGTH"])))
    return error_page(413, _("Attachments too large"), message)
