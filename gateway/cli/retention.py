"""`flask retention purge`: finished writes, audit entries and reminder ledger rows older than their configured ages
are deleted (GDPR: kept no longer than needed); IT runs it daily from cron or a systemd timer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete
from sqlalchemy.orm import Session

from gateway.accounts import audit
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import AuditEntry
from gateway.notify import ledger
from gateway.outbox import store

retention_commands = AppGroup("retention", help="Delete what the portal no longer needs to keep.")
# The customer's list of writes shows this many days; finished writes are kept at least as long.
MIN_OUTBOX_DAYS = store.SHOWN_FOR.days


@dataclass(frozen=True)
class Purged:
    outbox: int
    audit: int
    reminders: int = 0


def purge(session: Session, now: datetime, outbox_days: int, audit_days: int, ledger_days: int | None = None) -> Purged:
    """Delete finished writes, audit entries and reminder ledger rows older than their ages; waiting writes stay
    whatever their age."""
    outbox = store.purge_finished(session, now - timedelta(days=outbox_days))
    result = session.execute(delete(AuditEntry).where(AuditEntry.at < now - timedelta(days=audit_days)))
    reminders = ledger.purge(session, now - timedelta(days=ledger_days)) if ledger_days is not None else 0
    session.commit()
    return Purged(outbox, int(result.rowcount), reminders)  # type: ignore[attr-defined]


def _days(name: str, minimum: int) -> int:
    """A retention setting as whole days, refused below its minimum rather than deleting too much."""
    value = current_app.config[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise click.ClickException(f"{name} must be a whole number of days, at least {minimum} (it is {value!r})")
    return value


@retention_commands.command("purge")
def purge_command() -> None:
    """Delete finished writes older than OUTBOX_RETENTION_DAYS, audit entries older than AUDIT_RETENTION_DAYS and
    reminder ledger rows older than NOTIFY_LEDGER_RETENTION_DAYS."""
    outbox_days = _days("OUTBOX_RETENTION_DAYS", MIN_OUTBOX_DAYS)
    audit_days = _days("AUDIT_RETENTION_DAYS", 1)
    # A purged row's reminder must lie beyond the runs' look-back, or it would be sent again.
    ledger_days = _days("NOTIFY_LEDGER_RETENTION_DAYS", int(current_app.config["NOTIFY_LOOKBACK_DAYS"]) + 2)
    purged = purge(db(), utcnow(), outbox_days, audit_days, ledger_days)
    audit.record("retention.purged", outbox=purged.outbox, audit=purged.audit, reminders=purged.reminders,
                 outbox_days=outbox_days, audit_days=audit_days, ledger_days=ledger_days)
    db().commit()
    click.echo(f"deleted {purged.outbox} finished writes older than {outbox_days} days, "
               f"{purged.audit} audit entries older than {audit_days} days and "
               f"{purged.reminders} reminder ledger rows older than {ledger_days} days")
