"""Retention: finished writes and audit entries (names, addresses, what people did) deleted once older than
their configured ages, never a write still waiting for the ERP."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from adapters.core.records import ReadingSubmission
from gateway.cli import retention
from gateway.db.models import AuditEntry
from gateway.outbox import store
from gateway.outbox.model import DELIVERED, PENDING, REJECTED, OutboxItem

NOW = datetime(2026, 11, 20, 12, 0)
# key: (status, finished_at); 90 days before NOW is 2026-08-22 12:00.
WRITES = {
    "finished-just-too-long-ago": (DELIVERED, datetime(2026, 8, 22, 11, 0)),
    "refused-in-summer": (REJECTED, datetime(2026, 8, 1, 9, 30)),
    "finished-just-recently": (DELIVERED, datetime(2026, 8, 22, 13, 0)),
    "waiting-since-january": (PENDING, None),
}
# 365 days before NOW is 2025-11-20 12:00.
AUDIT = {"old-sign-in": datetime(2025, 11, 20, 11, 59), "recent-sign-in": datetime(2025, 11, 20, 12, 1),
         "yesterday": datetime(2026, 11, 19, 8, 0)}


@pytest.fixture
def filled(app: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The rows above in the portal's database, and the command's clock at NOW."""
    monkeypatch.setattr(retention, "utcnow", lambda: NOW)
    with app.extensions["database"]() as session:
        for key, (status, finished_at) in WRITES.items():
            write = ReadingSubmission("W-1003-1", date(2026, 1, 2), Decimal("1.000"), key, "")
            item = store.enqueue(session, "K-1003", None, write, key)
            session.execute(update(OutboxItem).where(OutboxItem.id == item.id).values(
                status=status, finished_at=finished_at, created_at=datetime(2026, 1, 2)))
        for action, at in AUDIT.items():
            session.add(AuditEntry(at=at, actor="customer", action=action, login="kowalski", detail="{}"))
        session.commit()
    return app


def _left(app: Any) -> tuple[list[str], list[str]]:
    with app.extensions["database"]() as session:
        writes = sorted(session.scalars(select(OutboxItem.idempotency_key)))
        actions = sorted(session.scalars(select(AuditEntry.action)))
    return writes, actions


def test_the_purge_deletes_finished_writes_and_audit_entries_past_their_ages_only(filled):
    result = filled.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("deleted 2 finished writes older than 90 days, "
                                     "1 audit entries older than 365 days and "
                                     "0 reminder ledger rows older than 180 days")
    writes, actions = _left(filled)
    assert writes == ["finished-just-recently", "waiting-since-january"]
    assert actions == ["recent-sign-in", "retention.purged", "yesterday"]


def test_the_audit_logs_age_is_a_setting(filled):
    filled.config["AUDIT_RETENTION_DAYS"] = 30
    assert filled.test_cli_runner().invoke(args=["retention", "purge"]).exit_code == 0
    assert _left(filled)[1] == ["retention.purged", "yesterday"]


@pytest.mark.parametrize("setting, value", [("OUTBOX_RETENTION_DAYS", 7), ("OUTBOX_RETENTION_DAYS", "90"),
                                            ("AUDIT_RETENTION_DAYS", 0), ("AUDIT_RETENTION_DAYS", -1)])
def test_a_retention_that_would_delete_too_much_is_refused_and_nothing_is_deleted(filled, setting, value):
    filled.config[setting] = value
    result = filled.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 1 and setting in result.output
    assert _left(filled) == (sorted(WRITES), sorted(AUDIT))
