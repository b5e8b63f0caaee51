"""The settlements pages: thin views over settlements/service.py."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required
from werkzeug.wrappers import Response

from gateway import clock
from gateway.erp.billing import billing
from gateway.erp.concurrent import page_deadline
from gateway.pages.settlements import bp
from gateway.pages.settlements.export import settlements_csv
from gateway.pages.settlements.ledger import STATES, LedgerFilter
from gateway.pages.settlements.params import (
    ENTRY_STATES,
    KIND_LABELS,
    LABELS,
    STATE_LABELS,
    SettlementsQuery,
    wanted_from,
)
from gateway.pages.settlements.service import Ledger, export_rows, load_ledger, settlements_view
from gateway.web.ownership import customer_id
from gateway.web.query import ParsedQuery, parse_query


def _ledger() -> Ledger:
    deadline = page_deadline()
    return load_ledger(billing(), customer_id(), deadline)


def _page(parsed: ParsedQuery, wanted: LedgerFilter) -> tuple[str, int]:
    view = settlements_view(_ledger(), wanted, parsed.values["page"], clock.today())
    page = render_template("settlements/index.html", view=view, errors=parsed.errors, kind_labels=KIND_LABELS,
                           state_labels=STATE_LABELS, states=STATES, entry_states=ENTRY_STATES)
    return page, parsed.status


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    """A malformed filter is dropped with a message and 400; the ledger still shows."""
    parsed = parse_query(SettlementsQuery, LABELS)
    return _page(parsed, wanted_from(parsed))


@bp.get("/export.csv")
@login_required
def export() -> Response | tuple[str, int]:
    """A malformed filter gets the page with its message (400) instead of a file of something else."""
    parsed = parse_query(SettlementsQuery, LABELS)
    wanted = wanted_from(parsed)
    if parsed.errors:
        return _page(parsed, wanted)
    today = clock.today()
    return settlements_csv(export_rows(_ledger(), wanted, today), KIND_LABELS, ENTRY_STATES, today)
