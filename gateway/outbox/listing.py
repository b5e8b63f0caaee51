"""What lists and write limits read of the outbox: a few columns, filtered and limited in SQL, never the payload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Collection

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from adapters.core.records import MessageDraft, ReadingSubmission
from gateway.clock import utcnow
from gateway.outbox.codec import Write
from gateway.outbox.model import DELIVERED, PENDING, REJECTED, OutboxItem
from gateway.web.freshness import note_own_writes

SHOWN_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Submission:
    """One write as a list shows it: its summary line, topic and where its delivery stands."""

    id: int
    topic: str | None
    summary: str
    status: str
    reason: str | None
    created_at: datetime
    reference: str | None = None  # the ERP's, once it took the write (a message's case number)


def topic_of(write: Write) -> str | None:
    """The meter a reading is for, the kind of a message; a consent change has none."""
    if isinstance(write, ReadingSubmission):
        return write.meter_id
    if isinstance(write, MessageDraft):
        return write.kind.value
    return None


def attachment_bytes_of(write: Write) -> int:
    return sum(len(attachment.content) for attachment in write.attachments) if isinstance(write, MessageDraft) else 0


def not_shown(session: Session, customer_id: str, kind: str, limit: int, shown: Collection[str],
              taken_since: datetime) -> list[Submission]:
    """The customer's recent writes of a kind the ERP's answer does not show, newest first, at most limit of them:
    waiting, refused, or taken since `taken_since` under a reference not among those `shown`."""
    query = (select(OutboxItem.id, OutboxItem.topic, OutboxItem.summary, OutboxItem.status, OutboxItem.reason,
                    OutboxItem.created_at, OutboxItem.erp_reference)
             .where(OutboxItem.customer_id == customer_id, OutboxItem.kind == kind,
                    or_(OutboxItem.status.in_((PENDING, REJECTED)),
                        and_(OutboxItem.status == DELIVERED, OutboxItem.finished_at >= taken_since)),
                    OutboxItem.created_at >= utcnow() - SHOWN_FOR)
             .order_by(OutboxItem.created_at.desc(), OutboxItem.id.desc()).limit(limit))
    found = [Submission(*row) for row in session.execute(query)]
    found = [item for item in found if item.status != DELIVERED or item.reference not in shown]
    note_own_writes(submission.created_at for submission in found)
    return found
