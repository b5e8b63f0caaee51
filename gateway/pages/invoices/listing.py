"""The invoice list's rules on plain records: which years exist, filtering, overdue and file names.

No Flask here: the list is filtered, sorted (erp/invoice_order.py) and paged in memory from one list_invoices
answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from adapters.core.records import InvoiceStatus, InvoiceSummary
from gateway.erp.invoice_order import DEFAULT_ORDER, DEFAULT_SORT, sort_invoices

# Characters an invoice number may keep in a file name; slashes and the rest become hyphens.
UNSAFE_IN_NAME = re.compile(r"[^0-9A-Za-z._ -]+")


@dataclass(frozen=True)
class InvoiceFilter:
    """What the customer asked to see; None means no restriction."""

    year: int | None = None
    status: InvoiceStatus | None = None
    sort: str = DEFAULT_SORT
    order: str = DEFAULT_ORDER


def query_args(wanted: InvoiceFilter) -> dict[str, str]:
    """The filter as query parameters for the pager's links, defaults left out."""
    args = {"year": wanted.year, "status": wanted.status and wanted.status.value,
            "sort": wanted.sort if wanted.sort != DEFAULT_SORT else None,
            "order": wanted.order if wanted.order != DEFAULT_ORDER else None}
    return {key: str(value) for key, value in args.items() if value is not None}


def available_years(invoices: Iterable[InvoiceSummary]) -> list[int]:
    """The years the customer has invoices from, newest first: the only ones worth offering."""
    return sorted({invoice.issued_on.year for invoice in invoices}, reverse=True)


def matches(invoice: InvoiceSummary, wanted: InvoiceFilter) -> bool:
    """True when the invoice passes the year and status filters."""
    if wanted.year is not None and invoice.issued_on.year != wanted.year:
        return False
    return wanted.status is None or invoice.status is wanted.status


def select_invoices(invoices: Iterable[InvoiceSummary], wanted: InvoiceFilter) -> list[InvoiceSummary]:
    """Filter, then sort: the whole list the pages are cut from."""
    return sort_invoices((invoice for invoice in invoices if matches(invoice, wanted)), wanted.sort, wanted.order)


def is_overdue(invoice: InvoiceSummary, today: date) -> bool:
    """Not fully paid and past its due date: the customer should act on it."""
    return invoice.status is not InvoiceStatus.PAID and invoice.due_on < today


def overdue_ids(invoices: Sequence[InvoiceSummary], today: date) -> frozenset[str]:
    return frozenset(invoice.id for invoice in invoices if is_overdue(invoice, today))


def decimal_places(value: Decimal) -> int:
    """As many decimals as the ERP gave: "2" months stay 2, "3.914" m³ keep three."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def invoice_file_name(word: str, number: str, extension: str = "pdf") -> str:
    """"Faktura FV-2026-10-0001.pdf": numbers carry slashes, which no file name may."""
    safe = UNSAFE_IN_NAME.sub("-", number).strip(" .-") or "faktura"
    return f"{word} {safe}.{extension}"
