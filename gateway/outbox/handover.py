"""Payments made online, handed to the ERP through the outbox: queued in the caller's transaction, and where each
handover stands, read by key."""

from __future__ import annotations

from typing import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.core.records import PaymentRecord
from gateway.outbox import store
from gateway.outbox.codec import PAYMENT
from gateway.outbox.model import OutboxItem


def queue_payment(session: Session, customer_id: str, account_id: int | None, payment: PaymentRecord,
                  summary: str) -> OutboxItem:
    """Kept under the operator's transaction id; commits the caller's changes with it, so a payment marked paid and
    its handover are one transaction. No customer limits: the customer did not ask for this write."""
    return store.enqueue(session, customer_id, account_id, payment, summary)


def is_queued(session: Session, key: str) -> bool:
    """Whether any write already holds the key (keys are unique across the outbox)."""
    return session.scalar(select(OutboxItem.id).where(OutboxItem.idempotency_key == key)) is not None


def handover_states(session: Session, customer_id: str, keys: Collection[str]) -> dict[str, str]:
    """The outbox status of each payment handed over, by its key; a key not found was never queued."""
    if not keys:
        return {}
    query = select(OutboxItem.idempotency_key, OutboxItem.status).where(
        OutboxItem.customer_id == customer_id, OutboxItem.kind == PAYMENT, OutboxItem.idempotency_key.in_(keys))
    return {key: status for key, status in session.execute(query)}


def handover_notes(session: Session, keys: Collection[str]) -> dict[str, OutboxItem]:
    """For the office: each handed-over payment's outbox row (status, the ERP's reference or reason), by key."""
    if not keys:
        return {}
    query = select(OutboxItem).where(OutboxItem.kind == PAYMENT, OutboxItem.idempotency_key.in_(keys))
    return {item.idempotency_key: item for item in session.scalars(query)}
