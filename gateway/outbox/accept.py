"""Taking a customer's write: checked by the caller, kept in the outbox here, delivered in the background.

From the customer's side a write is "accepted" at once and shown as waiting; the ERP's answer arrives
later as delivered or refused (with its reason). A repeated submit of the same form (same idempotency
key) finds the write already taken and changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gateway.accounts import audit
from gateway.db.database import db
from gateway.db.models import Account
from gateway.outbox import store
from gateway.outbox.codec import CustomerWrite, Write, decode, kind_of
from gateway.outbox.limits import WriteLimitReached, check_limits, take_turn
from gateway.outbox.model import OutboxItem
from gateway.outbox.runner import wake_delivery
from gateway.web.freshness import note_own_writes


def accept(customer_id: str, account: Account | None, write: CustomerWrite, summary: str) -> OutboxItem:
    """Keep the write (or find it kept already), audit it, and wake the deliverer; WriteLimitReached when the
    customer's limits leave no room for a new one."""
    take_turn(db(), customer_id)  # held to the commit: the key's look-up, the count and the insert in one turn
    existing = _by_key(write.idempotency_key)
    if existing is not None and existing.customer_id == customer_id:
        db().rollback()  # the turn ends here
        return existing
    try:
        check_limits(db(), customer_id, write, current_app.config)
    except WriteLimitReached:
        db().rollback()  # the turn ends with the refusal, not with the page that says so
        raise
    if existing is not None:
        # Keys are random per form; one that another customer used was copied, not drawn: draw a new one.
        write = replace(write, idempotency_key=str(uuid.uuid4()))
    try:
        item = store.enqueue(db(), customer_id, account.id if account else None, write, summary)
    except IntegrityError:  # the same form, submitted twice at the same moment
        db().rollback()
        existing = _by_key(write.idempotency_key)
        assert existing is not None
        return existing
    # Not the summary: a message's is the subject the customer typed, which may quote them.
    audit.record(f"{item.kind}.accepted", account, outbox_id=item.id, idempotency_key=item.idempotency_key)
    db().commit()
    wake_delivery()
    return item


def _by_key(idempotency_key: str) -> OutboxItem | None:
    return db().scalars(select(OutboxItem).where(OutboxItem.idempotency_key == idempotency_key)).first()


def submissions(customer_id: str, kind: str) -> list[tuple[OutboxItem, Write]]:
    """The customer's recent writes of a kind with their decoded content, newest first."""
    items = store.shown_to_customer(db(), customer_id, kind)
    note_own_writes(item.created_at for item in items)
    return [(item, decode(item.kind, item.payload, item.idempotency_key)) for item in items]


__all__ = ["accept", "kind_of", "submissions"]
