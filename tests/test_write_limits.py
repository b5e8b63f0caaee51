"""Per-customer write limits hold under concurrency: requests fired at once at the limit store exactly the limit."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import Sequence

import pytest
from sqlalchemy import func, select

from adapters.core.records import MessageDraft, MessageKind, ReadingSubmission
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.outbox.accept import accept
from gateway.outbox.codec import CustomerWrite
from gateway.outbox.limits import WriteLimitReached
from gateway.outbox.model import OutboxItem

AT_ONCE = 8


@pytest.fixture
def limited_app(config, billing):
    """Three readings of a meter a day and two messages an hour, so most of the burst is over the limit."""
    app = create_app({**config, "READINGS_PER_METER_PER_DAY": 3, "MESSAGES_PER_HOUR": 2}, billing=billing)
    upgrade_database(app)
    return app


def _fire_at_once(app, writes: Sequence[CustomerWrite]) -> list[str]:
    """Each write in its own thread and request context, all let go together; what became of each."""
    start, outcomes, lock = threading.Barrier(len(writes)), [], threading.Lock()

    def send(write: CustomerWrite) -> None:
        with app.test_request_context("/", method="POST"):
            start.wait()
            try:
                accept("K-1001", None, write, "w serii")
                outcome = "kept"
            except WriteLimitReached:
                outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=send, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def _stored(app, kind: str) -> int:
    with app.app_context():
        factory = app.extensions["database"]
        with factory() as session:
            return int(session.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.kind == kind)))


def test_readings_fired_at_once_at_the_limit_store_exactly_the_limit(limited_app):
    readings = [ReadingSubmission("W-1001-1", date(2026, 11, 21), Decimal(480 + n), f"burst-reading-{n}", "")
                for n in range(AT_ONCE)]
    assert _fire_at_once(limited_app, readings) == ["kept"] * 3 + ["refused"] * 5
    assert _stored(limited_app, "reading") == 3


def test_messages_fired_at_once_at_the_limit_store_exactly_the_limit(limited_app):
    messages = [MessageDraft(MessageKind.INQUIRY, f"Pytanie {n}", "Treść", f"burst-message-{n}")
                for n in range(AT_ONCE)]
    assert _fire_at_once(limited_app, messages) == ["kept"] * 2 + ["refused"] * 6
    assert _stored(limited_app, "message") == 2
