"""The one order invoices are shown in, on the invoice list and on the start page alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Callable, Iterable

from adapters.core.records import InvoiceSummary

SORT_KEYS: dict[str, Callable[[InvoiceSummary], date | Decimal]] = {
    "issue_date": lambda invoice: invoice.issued_on,
    "due_date": lambda invoice: invoice.due_on,
    "gross": lambda invoice: invoice.gross,
}
DEFAULT_SORT = "issue_date"
ORDERS = ("desc", "asc")
DEFAULT_ORDER = "desc"


def sort_invoices(invoices: Iterable[InvoiceSummary], sort: str = DEFAULT_SORT,
                  order: str = DEFAULT_ORDER) -> list[InvoiceSummary]:
    """Sorted by the chosen key; ties broken by issue date and id, so paging never shuffles equal rows."""
    key = SORT_KEYS[sort]
    return sorted(invoices, key=lambda invoice: (key(invoice), invoice.issued_on, invoice.id),
                  reverse=order == "desc")


def latest_invoices(invoices: Iterable[InvoiceSummary], count: int) -> list[InvoiceSummary]:
    """The first `count` rows the invoice list shows when nothing is chosen."""
    return sort_invoices(invoices)[:count]
