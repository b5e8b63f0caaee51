"""The invoice list's query parameters: year, status, sort key and order, page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from adapters.core.records import InvoiceStatus
from gateway.erp.invoice_order import DEFAULT_ORDER, DEFAULT_SORT, ORDERS, SORT_KEYS
from gateway.web.query import QuerySchema, page_number

# Years the ERP could hold invoices for; anything else is a typing slip or a crafted link.
FIRST_YEAR, LAST_YEAR = 1990, 2100


class InvoiceQuery(QuerySchema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=FIRST_YEAR, max=LAST_YEAR))
    status = fields.Enum(InvoiceStatus, by_value=True, load_default=None)
    sort = fields.String(load_default=DEFAULT_SORT, validate=validate.OneOf(tuple(SORT_KEYS)))
    order = fields.String(load_default=DEFAULT_ORDER, validate=validate.OneOf(ORDERS))
    page = page_number()


LABELS = {
    "year": _l("Year"),
    "status": _l("Status"),
    "sort": _l("Sort by"),
    "order": _l("Order"),
    "page": _l("Page"),
}
STATUS_LABELS = {
    InvoiceStatus.PAID: _l("paid"),
    InvoiceStatus.UNPAID: _l("unpaid"),
    InvoiceStatus.PARTLY_PAID: _l("partly paid"),
}
SORT_LABELS = {
    "issue_date": _l("issue date"),
    "due_date": _l("due date"),
    "gross": _l("gross amount"),
}
ORDER_LABELS = {
    "desc": _l("descending"),
    "asc": _l("ascending"),
}
