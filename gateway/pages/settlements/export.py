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
        _("Charges (debit)"), _("Payments (credit)"), _("Left to pay"), _("Left to settle"), _("State"), _("Overdue"),
    ]


def row_cells(row: LedgerRow, kind_labels: Mapping[SettlementKind, Any], states: Mapping[str, Any]) -> list[object]:
    """Cells as csv_cell formats them: Decimal with a comma, dates as 27.11.2026, booleans as tak/nie; the side
    an entry is not on stays empty, as on a printed statement."""
    entry = row.entry
    return [
        str(kind_labels.get(entry.kind, entry.kind)), entry.document_number, row.invoice_number, entry.issued_on,
        entry.due_on, entry.paid_on, row.charge or None, row.credit or None, row.left_to_pay, row.left_to_use,
        str(states[row.state]), row.overdue,
    ]


def settlements_csv(rows: list[LedgerRow], kind_labels: Mapping[SettlementKind, Any], states: Mapping[str, Any],
                    today: date) -> Response:
    """Named after the day it was made, so several exports do not overwrite each other."""
    name = _("settlements")
    cells = [row_cells(row, kind_labels, states) for row in rows]
    return csv_response(f"{name}-{today.isoformat()}.csv", header(), cells)
