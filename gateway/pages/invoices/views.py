"""The invoice pages: thin views over invoices/service.py; every invoice id passes own_invoice() first."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import login_required
from werkzeug.wrappers import Response

from gateway import clock
from gateway.accounts import audit
from gateway.db.database import db
from gateway.erp.billing import billing
from gateway.erp.concurrent import page_deadline
from gateway.pages.invoices import bp
from gateway.pages.invoices.listing import decimal_places, is_overdue
from gateway.pages.invoices.params import LABELS, ORDER_LABELS, SORT_LABELS, STATUS_LABELS, InvoiceQuery
from gateway.pages.invoices.service import invoice_details, invoice_list, invoice_pdf, invoice_xml
from gateway.web.files import send_erp_file
from gateway.web.i18n import label_texts
from gateway.web.ksef import ksef_mark
from gateway.web.nav import needs_operations
from gateway.web.ownership import customer_id, own_invoice
from gateway.web.query import parse_query

# The PDF buttons and their pages need the ERP to hand out the printed invoice; the XML one, its KSeF file.
PDF = "get_invoice_pdf"
XML = "get_invoice_xml"


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    """A malformed filter is dropped with a message and 400; the list still shows."""
    parsed = parse_query(InvoiceQuery, LABELS)
    listing = invoice_list(billing(), customer_id(), parsed, clock.today())
    page = render_template("invoices/list.html", listing=listing, errors=parsed.errors,
                           status_labels=label_texts(STATUS_LABELS), sort_labels=label_texts(SORT_LABELS),
                           order_labels=label_texts(ORDER_LABELS))
    return page, parsed.status


@bp.get("/<invoice_id>")
@login_required
def details(invoice_id: str) -> str:
    return _details(invoice_id, "invoices/details.html")


@bp.get("/<invoice_id>/print")
@login_required
def printable(invoice_id: str) -> str:
    """The invoice with its KSeF code on one sheet, for paper or a PDF printer; the same data as the page."""
    return _details(invoice_id, "invoices/print.html")


def _details(invoice_id: str, template: str) -> str:
    summary = own_invoice(invoice_id)
    deadline = page_deadline()
    today = clock.today()
    found = invoice_details(billing(), customer_id(), summary.id, today, deadline)
    overdue = found.payable.overdue if found.payable else is_overdue(found.invoice, today)
    return render_template(template, details=found, invoice=found.invoice, payable=found.payable,
                           overdue=overdue, status_labels=STATUS_LABELS, places=decimal_places,
                           ksef=ksef_mark(found.invoice))


@bp.get("/<invoice_id>/ksef-xml")
@login_required
@needs_operations(XML)
def ksef_xml(invoice_id: str) -> Response:
    """Only an invoice with a KSeF number has its file there; audited once the ERP has handed it over."""
    summary = own_invoice(invoice_id)
    if not summary.ksef_number:
        abort(404)
    file = invoice_xml(billing(), customer_id(), summary)
    audit.record("invoice.download", invoice_id=summary.id, inline=False, format="xml")
    db().commit()
    return send_erp_file(file, "faktura")


@bp.get("/<invoice_id>/preview")
@login_required
@needs_operations(PDF)
def preview(invoice_id: str) -> Response:
    """Shown in the browser's own PDF viewer."""
    return _pdf(invoice_id, inline=True)


@bp.get("/<invoice_id>/download")
@login_required
@needs_operations(PDF)
def download(invoice_id: str) -> Response:
    return _pdf(invoice_id, inline=False)


def _pdf(invoice_id: str, inline: bool) -> Response:
    """Audited once the ERP has handed the file over: a failed fetch is no download."""
    summary = own_invoice(invoice_id)
    file = invoice_pdf(billing(), customer_id(), summary)
    audit.record("invoice.download", invoice_id=summary.id, inline=inline)
    db().commit()
    return send_erp_file(file, "faktura", inline=inline)
