"""The ledger of reminders: a row is claimed (INSERT under a unique constraint) before the e-mail is sent and marked
sent after, so of two overlapping runs only one sends, and a run killed in between never sends it again."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.clock import utcnow
from gateway.notify.model import SENDING, SENT, UNDELIVERABLE, LedgerEntry

Known = set[tuple[int, str, str, str]]


def known(session: Session, account_ids: Iterable[int], channel: str) -> Known:
    """(account, customer, kind, key) already in the ledger for a batch of accounts: one query instead of a failed
    claim per old reminder on every run."""
    rows = session.execute(select(LedgerEntry.account_id, LedgerEntry.customer_id, LedgerEntry.kind, LedgerEntry.key)
                           .where(LedgerEntry.account_id.in_(list(account_ids)), LedgerEntry.channel == channel))
    return {(account_id, customer_id, kind, key) for account_id, customer_id, kind, key in rows}


def claim(session: Session, account_id: int, customer_id: str, kind: str, key: str,
          channel: str) -> LedgerEntry | None:
    """The row in SENDING, committed; None when any run claimed it first (the unique constraint refused it)."""
    entry = LedgerEntry(account_id=account_id, customer_id=customer_id, kind=kind, key=key, channel=channel,
                        state=SENDING, claimed_at=utcnow())
    session.add(entry)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return entry


def mark_sent(session: Session, entry: LedgerEntry) -> None:
    entry.state, entry.sent_at = SENT, utcnow()
    session.commit()


def mark_undeliverable(session: Session, entry: LedgerEntry) -> None:
    """The gateway takes the number for no phone number: trying again cannot help, so the claim stays."""
    entry.state = UNDELIVERABLE
    session.commit()


def release(session: Session, entry: LedgerEntry) -> None:
    """The mail server refused or could not be reached: the claim goes, so the next run tries again."""
    session.delete(entry)
    session.commit()


def stuck(session: Session, claimed_before: datetime) -> list[LedgerEntry]:
    """Claims a run never finished (killed between claim and send): not sent again, for staff to look at."""
    query = (select(LedgerEntry).where(LedgerEntry.state == SENDING, LedgerEntry.claimed_at < claimed_before)
             .order_by(LedgerEntry.claimed_at))
    return list(session.scalars(query))


def counts(session: Session) -> list[tuple[str, str, int]]:
    """(kind, state, rows), for staff to see what runs have done."""
    query = (select(LedgerEntry.kind, LedgerEntry.state, func.count())
             .group_by(LedgerEntry.kind, LedgerEntry.state).order_by(LedgerEntry.kind, LedgerEntry.state))
    return [(kind, state, int(count)) for kind, state, count in session.execute(query)]


def purge(session: Session, claimed_before: datetime) -> int:
    """Delete rows claimed before the cut-off, whatever their state. The caller commits."""
    result = session.execute(delete(LedgerEntry).where(LedgerEntry.claimed_at < claimed_before))
    return int(result.rowcount)  # type: ignore[attr-defined]
