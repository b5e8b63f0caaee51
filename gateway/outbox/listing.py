"""What lists and write limits read of the outbox: a few columns, filtered and limited in SQL, never the payload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.core.records import MessageDraft, ReadingSubmission
from gateway.clock import utcnow
from gateway.outbox.codec import Write
from gateway.outbox.model import PENDING, REJECTED, OutboxItem
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


def topic_of(write: Write) -> str | None:
    """The meter a reading is for, the kind of a message; a consent change has none."""
    if isinstance(write, ReadingSubmission):
        return write.meter_id
    if isinstance(write, MessageDraft):
        return write.kind.value
    return None


def attachment_bytes_of(write: Write) -> int:
    return sum(len(attachment.content) for attachment in write.attachments) if isinstance(write, MessageDraft) else 0


def not_delivered(session: Session, customer_id: str, kind: str, limit: int) -> list[Submission]:
    """The customer's recent writes of a kind still waiting or refused, newest first, at most limit of them."""
    query = (select(OutboxItem.id, OutboxItem.topic, OutboxItem.summary, OutboxItem.status, OutboxItem.reason,
                    OutboxItem.created_at)
             .where(OutboxItem.customer_id == customer_id, OutboxItem.kind == kind,
                    OutboxItem.status.in_((PENDING, REJECTED)), OutboxItem.created_at >= utcnow() - SHOWN_FOR)
             .order_by(OutboxItem.created_at.desc(), OutboxItem.id.desc()).limit(limit))
    found = [Submission(*row) for row in session.execute(query)]
    note_own_writes(submission.created_at for submission in found)
    return found
