"""Per-customer limits on writes, counted in SQL from the outbox (the writes the customer made), so that one
customer cannot fill the outbox, the database and the ERP's case queue. A customer's writes take turns from the
count to the insert's commit, so parallel requests cannot all pass a count made at the limit."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Mapping

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, false, func, select, update
from sqlalchemy.orm import Session

from adapters.core.records import MessageDraft, ReadingSubmission
from gateway.clock import utcnow
from gateway.outbox.codec import MESSAGE, READING, Write
from gateway.outbox.listing import attachment_bytes_of
from gateway.outbox.model import OutboxItem
from gateway.web.i18n import human_size

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
MB = 1024 * 1024
# The first key of the customers' write locks on PostgreSQL ("IBOK"); the second is the customer's. Two-key locks
# never meet the one-key lock of migrations (gateway/cli/db.py).
WRITE_LOCK_CLASS = 0x49424F4B


class WriteLimitReached(Exception):
    """The write would pass one of the customer's limits; the text says which, in the customer's language."""


def take_turn(session: Session, customer_id: str) -> None:
    """Hold the customer's writes until this transaction ends: a count made now stays true until the insert."""
    if session.get_bind().dialect.name == "postgresql":
        # A transaction's lock, so it holds behind PgBouncer in transaction mode and ends with commit or rollback.
        session.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_CLASS, _lock_key(customer_id))))
        return
    # SQLite has one writer at a time: a write as the transaction's first statement takes that lock at once
    # (a read first would let another writer in before the insert). It matches no row and changes nothing.
    session.execute(update(OutboxItem).where(false()).values(customer_id=OutboxItem.customer_id)
                    .execution_options(synchronize_session=False))


def _lock_key(customer_id: str) -> int:
    """The customer's id as a signed 32-bit key; two customers sharing one only wait for each other."""
    return int.from_bytes(hashlib.blake2b(customer_id.encode(), digest_size=4).digest(), "big", signed=True)


def check_limits(session: Session, customer_id: str, write: Write, config: Mapping[str, Any]) -> None:
    """Raise WriteLimitReached when the customer's writes of the last hour or day leave no room for this one; call it
    after take_turn, in the transaction that inserts the write."""
    now = utcnow()
    if isinstance(write, MessageDraft):
        _check_message(session, customer_id, write, config, now)
    elif isinstance(write, ReadingSubmission):
        _check_reading(session, customer_id, write, int(config["READINGS_PER_METER_PER_DAY"]), now)


def _check_message(session: Session, customer_id: str, draft: MessageDraft, config: Mapping[str, Any],
                   now: datetime) -> None:
    per_hour = int(config["MESSAGES_PER_HOUR"])
    if _count(session, customer_id, MESSAGE, now - HOUR) >= per_hour:
        raise WriteLimitReached(_("You have reached the limit of messages sent within an hour (%(count)d). "
                                  "Please send the next message later.", count=per_hour))
    attached = attachment_bytes_of(draft)
    per_day = int(float(config["MESSAGE_ATTACHMENT_MB_PER_DAY"]) * MB)
    if attached and _attached_since(session, customer_id, now - DAY) + attached > per_day:
        raise WriteLimitReached(_("Together with the files attached now, your attachments of the last 24 hours "
                                  "would exceed %(size)s. Please send the message without these files, or later.",
                                  size=human_size(per_day)))


def _check_reading(session: Session, customer_id: str, submission: ReadingSubmission, per_day: int,
                   now: datetime) -> None:
    if _count(session, customer_id, READING, now - DAY, OutboxItem.topic == submission.meter_id) >= per_day:
        raise WriteLimitReached(_("You have reached the limit of readings of this meter sent within 24 hours "
                                  "(%(count)d). Please send the next reading later.", count=per_day))


def _count(session: Session, customer_id: str, kind: str, since: datetime, *also: ColumnElement[bool]) -> int:
    query = (select(func.count()).select_from(OutboxItem)
             .where(OutboxItem.customer_id == customer_id, OutboxItem.kind == kind, OutboxItem.created_at >= since,
                    *also))
    return int(session.scalar(query) or 0)


def _attached_since(session: Session, customer_id: str, since: datetime) -> int:
    query = (select(func.coalesce(func.sum(OutboxItem.attachment_bytes), 0))
             .where(OutboxItem.customer_id == customer_id, OutboxItem.kind == MESSAGE, OutboxItem.created_at >= since))
    return int(session.scalar(query) or 0)
