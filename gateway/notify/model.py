"""The reminders' tables: which kinds an account has switched on since when, and the ledger of what was sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.clock import utcnow
from gateway.db.database import Base
from gateway.notify.kinds import EMAIL

# A ledger row is claimed in SENDING before the e-mail goes out and marked SENT after; one left in SENDING was
# interrupted (the run killed, the machine down) and is never tried again: at most once, listed as stuck. An SMS
# the gateway refused because the number is none is kept UNDELIVERABLE, so no run tries that one again.
SENDING, SENT, UNDELIVERABLE = "sending", "sent", "undeliverable"


class Subscription(Base):
    """A kind switched on for a channel (e-mail or SMS): the row exists while it is on; `since` bounds what counts
    as new."""

    __tablename__ = "notify_subscriptions"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True, default=EMAIL)
    since: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LedgerEntry(Base):
    """One reminder for one thing (an invoice, a reply, a reading window) of one customer on one channel; unique,
    so a second claim of the same one fails in the database whichever run or process makes it. The customer is in
    the key because an account showing several customers gets each one's "INV-1" or reading window apart."""

    __tablename__ = "notify_ledger"
    __table_args__ = (UniqueConstraint("account_id", "customer_id", "kind", "key", "channel",
                                       name="uq_notify_ledger_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    customer_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(160))
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=SENDING, index=True)
    # Indexed: `flask retention purge` deletes rows claimed before its cut-off.
    claimed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
