"""`flask retention purge`: finished writes and audit entries older than their configured ages are deleted
(GDPR: kept no longer than needed); IT runs it daily from cron or a systemd timer."""

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
from gateway.outbox import store

retention_commands = AppGroup("retention", help="Delete what the portal no longer needs to keep.")
# The customer's list of writes shows this many days; finished writes are kept at least as long.
MIN_OUTBOX_DAYS = store.SHOWN_FOR.days


@dataclass(frozen=True)
class Purged:
    outbox: int
    audit: int


def purge(session: Session, now: datetime, outbox_days: int, audit_days: int) -> Purged:
    """Delete finished writes and audit entries older than their ages; waiting writes stay whatever their age."""
    outbox = store.purge_finished(session, now - timedelta(days=outbox_days))
    result = session.execute(delete(AuditEntry).where(AuditEntry.at < now - timedelta(days=audit_days)))
    session.commit()
    return Purged(outbox, int(result.rowcount))  # type: ignore[attr-defined]


def _days(name: str, minimum: int) -> int:
    """A retention setting as whole days, refused below its minimum rather than deleting too much."""
    value = current_app.config[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise click.ClickException(f"{name} must be a whole number of days, at least {minimum} (it is {value!r})")
    return value


@retention_commands.command("purge")
def purge_command() -> None:
    """Delete finished writes older than OUTBOX_RETENTION_DAYS and audit entries older than AUDIT_RETENTION_DAYS."""
    outbox_days = _days("OUTBOX_RETENTION_DAYS", MIN_OUTBOX_DAYS)
    audit_days = _days("AUDIT_RETENTION_DAYS", 1)
    purged = purge(db(), utcnow(), outbox_days, audit_days)
    audit.record("retention.purged", outbox=purged.outbox, audit=purged.audit, outbox_days=outbox_days,
                 audit_days=audit_days)
    db().commit()
    click.echo(f"deleted {purged.outbox} finished writes older than {outbox_days} days and "
               f"{purged.audit} audit entries older than {audit_days} days")
