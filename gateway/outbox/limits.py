"""Per-customer limits on writes, counted in SQL from the outbox (the writes the customer made), so that one
customer cannot fill the outbox, the database and the ERP's case queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from adapters.core.records import MessageDraft, ReadingSubmission
from gateway.clock import utcnow
from gateway.outbox.codec import MESSAGE, READING, Write
from gateway.outbox.listing import attachment_bytes_of
from gateway.outbox.model import OutboxItem
from gateway.web.i18n import human_size

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
MB = 1024 * 1024


class WriteLimitReached(Exception):
    """The write would pass one of the customer's limits; the text says which, in the customer's language."""


def check_limits(session: Session, customer_id: str, write: Write, config: Mapping[str, Any]) -> None:
    """Raise WriteLimitReached when the customer's writes of the last hour or day leave no room for this one."""
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
