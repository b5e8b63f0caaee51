"""The settlements page's query parameters: issue date range, kind, settled or open, page; and the words for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from adapters.core.records import SettlementKind
from gateway.pages.settlements import ledger
from gateway.pages.settlements.ledger import ALL, OPEN, SETTLED, STATES, LedgerFilter
from gateway.web.query import ParsedQuery, QuerySchema, page_number

# What a date field of the browser sends, and what a customer types where the browser has no date picker.
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


class LenientDate(fields.Field):
    """A date as 2026-11-27 or 27.11.2026."""

    default_error_messages = {"invalid": "Not a valid date."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(str(value).strip(), pattern).date()
            except ValueError:
                continue
        raise self.make_error("invalid")


class SettlementsQuery(QuerySchema):
    issued_from = LenientDate(load_default=None)
    issued_to = LenientDate(load_default=None)
    kind = fields.Enum(SettlementKind, by_value=True, load_default=None)
    state = fields.String(load_default=ALL, validate=validate.OneOf(STATES))
    page = page_number()


LABELS = {
    "issued_from": _l("Issued from"),
    "issued_to": _l("Issued to"),
    "kind": _l("Kind"),
    "state": _l("Settled or open"),
    "page": _l("Page"),
}
KIND_LABELS = {
    SettlementKind.INVOICE: _l("invoice"),
    SettlementKind.CORRECTION: _l("correcting invoice"),
    SettlementKind.PAYMENT: _l("payment"),
    SettlementKind.PREPAYMENT: _l("prepayment"),
    SettlementKind.OVERPAYMENT: _l("overpayment"),
    SettlementKind.INTEREST_NOTE: _l("interest note"),
}
STATE_LABELS = {
    ALL: _l("settled and open"),
    OPEN: _l("open only"),
    SETTLED: _l("settled only"),
}
# An entry's state in words: charges are paid, money received is settled (used up); the kinds are all feminine.
ENTRY_STATES = {
    ledger.TO_PAY: _l("to pay"),
    ledger.PARTLY_PAID: _l("partly paid"),
    ledger.PAID: _l("paid"),
    ledger.TO_SETTLE: _l("to be settled"),
    ledger.PARTLY_SETTLED: _l("partly settled"),
    ledger.USED: _l("settled"),
}


def wanted_from(parsed: ParsedQuery) -> LedgerFilter:
    """A range that ends before it starts matches nothing by mistake: drop it and say so."""
    values = parsed.values
    start, end = values["issued_from"], values["issued_to"]
    if start is not None and end is not None and start > end:
        parsed.add_error(_("The “issued from” date is after the “issued to” date, so the date range was ignored."))
        start = end = None
    return LedgerFilter(issued_from=start, issued_to=end, kind=values["kind"], state=values["state"])


def query_args(wanted: LedgerFilter) -> dict[str, str]:
    """The filter as query parameters for the pager's and the export's links, defaults left out."""
    args = {
        "issued_from": wanted.issued_from and wanted.issued_from.isoformat(),
        "issued_to": wanted.issued_to and wanted.issued_to.isoformat(),
        "kind": wanted.kind and wanted.kind.value,
        "state": wanted.state if wanted.state != ALL else None,
    }
    return {key: value for key, value in args.items() if value}
