"""The settlements CSV: the rows the filter shows, in the columns the page has, Polish numbers and dates."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from flask_babel import gettext as _
from werkzeug.wrappers import Response

from adapters.core.records import SettlementKind
from gateway.pages.settlements.service import LedgerRow
from gateway.web.exports import csv_response


def header() -> list[str]:
    return [
        _("Kind"), _("Document number"), _("Invoice"), _("Issue date"), _("Due date"), _("Payment date"),
        _("Amount"), _("Settled"), _("Remaining"), _("Paid"), _("Overdue"),
    ]


def row_cells(row: LedgerRow, kind_labels: Mapping[SettlementKind, Any]) -> list[object]:
    """Cells as csv_cell formats them: Decimal with a comma, dates as 27.11.2026, booleans as tak/nie."""
    entry = row.entry
    return [
        str(kind_labels.get(entry.kind, entry.kind)), entry.document_number, row.invoice_number, entry.issued_on,
        entry.due_on, entry.paid_on, entry.amount, entry.settled, entry.remaining, row.paid, row.overdue,
    ]


def settlements_csv(rows: list[LedgerRow], kind_labels: Mapping[SettlementKind, Any], today: date) -> Response:
    """Named after the day it was made, so several exports do not overwrite each other."""
    name = _("settlements")
    return csv_response(f"{name}-{today.isoformat()}.csv", header(), [row_cells(row, kind_labels) for row in rows])
