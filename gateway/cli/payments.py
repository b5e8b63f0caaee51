"""`flask payments …`: the office's view of online payments, and those the ERP has not booked after N days."""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable

import click
from flask.cli import AppGroup

from adapters.core.errors import ErpError
from adapters.core.records import InvoiceStatus
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.erp.billing import billing
from gateway.outbox.handover import handover_notes
from gateway.outbox.model import DELIVERED, PENDING, REJECTED, OutboxItem
from gateway.payments import store
from gateway.payments.handover import handover_key
from gateway.payments.model import Payment

payments_commands = AppGroup("payments", help="Online payments: list them, find those the ERP has not booked.")
STATUSES = ("started", "paid", "failed", "cancelled")


def _line(payment: Payment, *notes: str) -> str:
    """One payment per line, tab-separated for a spreadsheet; the customer number, no names or addresses."""
    when = (payment.paid_at or payment.created_at).strftime("%Y-%m-%d %H:%M")
    fields = [when, payment.customer_id, store.amount_text(payment.amount), payment.status, payment.session_id,
              str(payment.order_id or "-"), payment.invoice_ids or "-"]
    return "\t".join(fields + list(notes))


@payments_commands.command("list")
@click.option("--limit", default=50, show_default=True, help="At most this many, newest first.")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only payments in this state.")
def list_command(limit: int, status: str | None) -> None:
    """Payments newest first: when, customer, amount, state, session id, operator's order id, invoices."""
    for payment in store.listing(db(), limit, status):
        click.echo(_line(payment))


def _unbooked(payments: Iterable[Payment]) -> list[tuple[Payment, str]]:
    """Those whose invoices the ERP does not show paid (asked once per customer); "ERP did not answer" kept too."""
    found: list[tuple[Payment, str]] = []
    paid_ids: dict[str, set[str] | None] = {}
    for payment in payments:
        if payment.customer_id not in paid_ids:
            try:
                invoices = billing().list_invoices(payment.customer_id)
                paid_ids[payment.customer_id] = {i.id for i in invoices if i.status is InvoiceStatus.PAID}
            except ErpError:
                paid_ids[payment.customer_id] = None
        known = paid_ids[payment.customer_id]
        if known is None:
            found.append((payment, "ERP did not answer"))
        elif not payment.invoices or not set(payment.invoices) <= known:
            found.append((payment, "not booked"))
    return found


def _handover(item: OutboxItem | None) -> str:
    """Where handing the payment to the ERP stands: a refused one needs the office (its reason says why)."""
    if item is None:
        return "not handed to the ERP (booked from the bank statement)"
    if item.status == REJECTED:
        return f"handover refused by the ERP: {item.reason or '-'}"
    if item.status == DELIVERED:
        return f"handed to the ERP as {item.erp_reference or '-'}"
    return "handover waiting for the ERP" if item.status == PENDING else f"handover {item.status}"


@payments_commands.command("unbooked")
@click.option("--days", default=3, show_default=True, type=click.IntRange(min=0), help="Paid at least this long ago.")
def unbooked_command(days: int) -> None:
    """Paid at the operator N days ago or more and not yet booked by the ERP: to check against the bank statement."""
    rows = _unbooked(store.unbooked(db(), utcnow() - timedelta(days=days)))
    handed = handover_notes(db(), {key for payment, _ in rows if (key := handover_key(payment))})
    for payment, note in rows:
        click.echo(_line(payment, note, _handover(handed.get(handover_key(payment) or ""))))
    click.echo(f"{len(rows)} payments paid at the operator {days} or more days ago are not booked by the ERP", err=True)
