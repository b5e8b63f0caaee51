"""The outbox's rows: enqueue a write, claim due ones for delivery (one deliverer per row, also across
processes), and record how each delivery ended."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.outbox.codec import Write, encode, kind_of, without_attachment_bytes
from gateway.outbox.listing import SHOWN_FOR, attachment_bytes_of, topic_of
from gateway.outbox.model import DELIVERED, PENDING, REJECTED, WITHDRAWN, OutboxItem

LEASE = timedelta(seconds=90)
FIRST_RETRY_SECONDS = 15
MAX_RETRY_SECONDS = 15 * 60


def enqueue(session: Session, customer_id: str, account_id: int | None, write: Write, summary: str) -> OutboxItem:
    """Keep the write before anything is sent: from here on it cannot be lost. Commits."""
    item = OutboxItem(kind=kind_of(write), customer_id=customer_id, account_id=account_id,
                      idempotency_key=write.idempotency_key, summary=summary[:300], payload=encode(write),
                      topic=topic_of(write), attachment_bytes=attachment_bytes_of(write), status=PENDING,
                      attempts=0, next_attempt_at=utcnow())
    session.add(item)
    session.commit()
    return item


def due_ids(session: Session, now: datetime, limit: int = 50) -> list[int]:
    """Pending rows whose time has come and that nobody holds (or whose holder's lease ran out)."""
    query = (select(OutboxItem.id)
             .where(OutboxItem.status == PENDING, OutboxItem.next_attempt_at <= now,
                    or_(OutboxItem.claimed_until.is_(None), OutboxItem.claimed_until < now))
             .order_by(OutboxItem.next_attempt_at).limit(limit))
    return list(session.scalars(query))


def _changeable(item_id: int, now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Still waiting and held by no deliverer: the same test a claim makes, so of a change and a claim one wins."""
    return (OutboxItem.id == item_id, OutboxItem.status == PENDING,
            or_(OutboxItem.claimed_until.is_(None), OutboxItem.claimed_until < now))


def _customer_changeable(item_id: int, now: datetime) -> tuple[ColumnElement[bool], ...]:
    """A claim's test, and no claim ever made without an outcome recorded, and no attempt that may have reached the
    ERP: a write the ERP may hold is delivered as it is (OutboxItem.changeable_by_customer says the same)."""
    return (*_changeable(item_id, now), OutboxItem.claimed_until.is_(None), OutboxItem.maybe_sent.is_(False))


def replace_pending(session: Session, item_id: int, write: Write, summary: str) -> bool:
    """The customer's correction of a waiting write, under the correction's own key (the ERP may have seen the
    first one's); False when a deliverer holds or has finished it, or an attempt may have reached the ERP. The caller
    commits, with its audit entry."""
    result = session.execute(
        update(OutboxItem).where(*_customer_changeable(item_id, utcnow()))
        .values(payload=encode(write), summary=summary[:300], topic=topic_of(write),
                idempotency_key=write.idempotency_key, next_attempt_at=utcnow())
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def withdraw_pending(session: Session, item_id: int) -> bool:
    """Taken back before delivery: never sent, still counted by the limits; False when too late (also when an
    attempt may have reached the ERP). The caller commits, with its audit entry."""
    now = utcnow()
    result = session.execute(
        update(OutboxItem).where(*_customer_changeable(item_id, now)).values(status=WITHDRAWN, finished_at=now)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def claim(session: Session, item_id: int, worker: str, now: datetime) -> OutboxItem | None:
    """Take the row for delivery; a conditional UPDATE, so of two deliverers only one gets it. A lease left by a
    deliverer that died mid-attempt marks the row as maybe sent. Commits."""
    abandoned = OutboxItem.claimed_until.is_not(None)
    result = session.execute(
        update(OutboxItem).where(*_changeable(item_id, now))
        .values(claimed_by=worker, claimed_until=now + LEASE, maybe_sent=or_(OutboxItem.maybe_sent, abandoned))
    )
    session.commit()
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(OutboxItem, item_id, populate_existing=True)


def mark_delivered(session: Session, item: OutboxItem, reference: str) -> None:
    _finish(session, item, DELIVERED, erp_reference=reference)


def mark_rejected(session: Session, item: OutboxItem, reason: str) -> None:
    _finish(session, item, REJECTED, reason=reason)


def _finish(session: Session, item: OutboxItem, status: str, **values: str) -> None:
    """The outcome, and the attachments' bytes gone: the ERP has them or will never take them."""
    item.status, item.finished_at, item.claimed_by, item.claimed_until = status, utcnow(), None, None
    item.payload = without_attachment_bytes(item.kind, item.payload)
    item.attempts += 1
    for name, value in values.items():
        setattr(item, name, value)
    session.commit()


def retry_later(session: Session, item: OutboxItem, error: str, maybe_sent: bool = True) -> None:
    """Back off exponentially (with jitter, capped), so an ERP down for an hour is not hammered; an attempt that
    may have reached the ERP is remembered for good (the safe default)."""
    item.attempts += 1
    item.maybe_sent = item.maybe_sent or maybe_sent
    delay = min(FIRST_RETRY_SECONDS * 2 ** min(item.attempts - 1, 10), MAX_RETRY_SECONDS)
    item.next_attempt_at = utcnow() + timedelta(seconds=delay * random.uniform(0.8, 1.2))
    item.last_error, item.claimed_by, item.claimed_until = error[:300], None, None
    session.commit()


def shown_to_customer(session: Session, customer_id: str, kind: str) -> list[OutboxItem]:
    """The customer's recent writes of a kind, newest first: waiting, delivered or refused (not withdrawn)."""
    query = (select(OutboxItem)
             .where(OutboxItem.customer_id == customer_id, OutboxItem.kind == kind, OutboxItem.status != WITHDRAWN,
                    OutboxItem.created_at >= utcnow() - SHOWN_FOR)
             .order_by(OutboxItem.created_at.desc()))
    return list(session.scalars(query))


def purge_finished(session: Session, finished_before: datetime) -> int:
    """Delete delivered, refused and withdrawn writes finished before the given time; waiting ones are never deleted.
    Commits."""
    result = session.execute(
        delete(OutboxItem)
        .where(OutboxItem.status.in_((DELIVERED, REJECTED, WITHDRAWN)), OutboxItem.finished_at < finished_before)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
