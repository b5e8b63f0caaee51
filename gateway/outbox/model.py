"""The outbox table: writes the customer made, kept until the ERP has taken or refused them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from gateway.clock import utcnow
from gateway.db.database import Base

PENDING, DELIVERED, REJECTED = "pending", "delivered", "rejected"
# Taken back by the customer before delivery: never sent, hidden from lists, still counted by the limits.
WITHDRAWN = "withdrawn"
# Outcomes from the ERP: every portal process drops the answers such a write changed (invalidation.py).
FINISHED_BY_ERP = (DELIVERED, REJECTED)


class OutboxItem(Base):
    """One write: what (kind and payload), for whom, its idempotency key, and where its delivery stands."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[int | None] = mapped_column(Integer, default=None)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # A subject line or a meter and value: what the customer sees in the list of their submissions.
    summary: Mapped[str] = mapped_column(String(300), default="")
    payload: Mapped[str] = mapped_column(Text)
    # What the write concerns (a reading's meter, a message's kind) and its attachments' bytes, kept apart from
    # the payload so that lists and per-customer limits are read in SQL without loading it.
    topic: Mapped[str | None] = mapped_column(String(64), default=None)
    attachment_bytes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # An attempt may have reached the ERP (a timeout, a 5xx, a dropped connection, a deliverer that died holding
    # the row): the ERP may hold the write, so only its delivery under its own key is safe, no withdrawal or change.
    maybe_sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    erp_reference: Mapped[str | None] = mapped_column(String(64), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Indexed: every portal process asks each second which writes finished since its last look.
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, default=None, index=True)

    @property
    def changeable_by_customer(self) -> bool:
        """Waiting, held by no deliverer (nor by one that died holding it) and no attempt may have reached the ERP:
        what store.withdraw_pending and store.replace_pending require, for pages to offer only what will work."""
        return self.status == PENDING and self.claimed_until is None and not self.maybe_sent
