"""The payments table's queries and conditional updates: of two notifications or a notice and a cancel, one wins."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Iterable, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.payments.model import CANCELLED, OVER, PAID, STARTED, Payment


def by_key(session: Session, idempotency_key: str) -> Payment | None:
    return session.scalars(select(Payment).where(Payment.idempotency_key == idempotency_key)).first()


def by_session_id(session: Session, session_id: str) -> Payment | None:
    return session.scalars(select(Payment).where(Payment.session_id == session_id)).first()


def recent(session: Session, customer_id: str, since: datetime) -> Sequence[Payment]:
    """The customer's payments since then, newest first: one indexed query per page that shows them."""
    query = (select(Payment).where(Payment.customer_id == customer_id, Payment.created_at >= since)
             .order_by(Payment.created_at.desc(), Payment.id.desc()))
    return session.scalars(query).all()


def is_abandoned(payment: Payment, abandon_after: timedelta) -> bool:
    """Started, and left at the operator longer than a payment takes: the customer may start again."""
    return payment.status == STARTED and payment.created_at < utcnow() - abandon_after


def open_for(payments: Iterable[Payment], invoice_ids: Iterable[str], abandon_after: timedelta) -> Payment | None:
    """A started payment (not abandoned) covering any of these invoices: shown again instead of a second one."""
    wanted = set(invoice_ids)
    for payment in payments:
        if payment.status == STARTED and not is_abandoned(payment, abandon_after) and wanted & set(payment.invoices):
            return payment
    return None


def close_abandoned(session: Session, customer_id: str, abandon_after: timedelta) -> None:
    """Started payments left too long become cancelled and free their invoices (a late notification still counts)."""
    session.execute(update(Payment).where(
        Payment.customer_id == customer_id, Payment.status == STARTED, Payment.created_at < utcnow() - abandon_after,
    ).values(status=CANCELLED, open_target=None, updated_at=utcnow()))


def finish(session: Session, payment: Payment, status: str) -> bool:
    """Started → failed or cancelled; False when something else (a notification) got there first."""
    assert status in OVER
    done = session.execute(update(Payment).where(Payment.id == payment.id, Payment.status == STARTED)
                           .values(status=status, open_target=None, updated_at=utcnow()))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def mark_paid(session: Session, payment: Payment, order_id: int) -> bool:
    """Any state but paid → paid, once: a repeated or concurrent notification changes nothing."""
    now = utcnow()
    done = session.execute(update(Payment).where(Payment.id == payment.id, Payment.status != PAID)
                           .values(status=PAID, order_id=order_id, open_target=None, paid_at=now, updated_at=now))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def unbooked(session: Session, paid_before: datetime) -> Sequence[Payment]:
    """Paid at the operator before then, oldest first: the office checks whether the ERP booked them."""
    query = select(Payment).where(Payment.status == PAID, Payment.paid_at < paid_before).order_by(Payment.paid_at)
    return session.scalars(query).all()


def listing(session: Session, limit: int, status: str | None = None) -> Sequence[Payment]:
    query = select(Payment).order_by(Payment.created_at.desc(), Payment.id.desc()).limit(limit)
    if status:
        query = query.where(Payment.status == status)
    return session.scalars(query).all()


def amount_text(amount: Decimal) -> str:
    """12.50 → "12,50 zł": for the office's commands, no locale needed."""
    return f"{amount:.2f}".replace(".", ",") + " zł"
