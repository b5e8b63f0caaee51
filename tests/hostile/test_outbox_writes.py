"""Writes in the outbox under attack and neglect: attachment bytes kept after delivery, a write the ERP can never
take retried for ever, a row delivered before its back-off, finished rows and audit entries kept for ever."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Iterator

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from adapters.core.errors import ErpRejected, ErpUnavailable
from adapters.core.records import Attachment, MessageDraft, MessageKind, ReadingSubmission
from gateway.outbox import delivery, store
from gateway.outbox.delivery import deliver_due
from gateway.outbox.model import DELIVERED, PENDING, REJECTED, OutboxItem
from gateway.outbox.runner import deliver_once
from tests.hostile.erp import JSON, PROTOCOLS

NOON = datetime(2026, 11, 20, 12, 0)
SCAN = b"%PDF-1.4\n" + b"\x00scan" * 2000  # 10 009 bytes
PHOTO = b"\x89PNG\r\n\x1a\n" + b"p" * 492  # 500 bytes


@pytest.fixture
def session(app: Any) -> Iterator[Session]:
    with app.extensions["database"]() as session:
        yield session


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The outbox's time, moved by the test: clock[0] is now."""
    now = [NOON]
    for module in (store, delivery):
        monkeypatch.setattr(module, "utcnow", lambda: now[0])
    return now


def _message(key: str = "m-1") -> MessageDraft:
    files = (Attachment("skan.pdf", "application/pdf", SCAN), Attachment("licznik.png", "image/png", PHOTO))
    return MessageDraft(MessageKind.COMPLAINT, "Zawyżona faktura", "Proszę o korektę.", key, files, None, None)


def _reading(meter: str = "W-1003-1", key: str = "r-1") -> ReadingSubmission:
    return ReadingSubmission(meter, date(2026, 11, 20), Decimal("480.000"), key, "")


def _row(session: Session) -> OutboxItem:
    session.expire_all()
    return session.scalars(select(OutboxItem)).one()


KEPT = [{"filename": "skan.pdf", "content_type": "application/pdf", "size": 10009},
        {"filename": "licznik.png", "content_type": "image/png", "size": 500}]


def test_a_delivered_message_keeps_its_attachments_names_and_sizes_not_their_bytes(session, billing, clock):
    store.enqueue(session, "K-1003", None, _message(), "Zawyżona faktura")
    assert deliver_due(session, billing).delivered == 1
    row = _row(session)
    assert row.status == DELIVERED
    assert json.loads(row.payload)["attachments"] == KEPT
    assert len(row.payload) < 400  # the bytes alone were over 13 000 characters in base64


def test_a_refused_message_keeps_its_attachments_names_and_sizes_not_their_bytes(session, billing, clock):
    billing.fail("send_message", ErpRejected("send_message", "Sprawa już rozpatrzona."))
    store.enqueue(session, "K-1003", None, _message(), "Zawyżona faktura")
    deliver_due(session, billing)
    row = _row(session)
    assert (row.status, row.reason) == (REJECTED, "Sprawa już rozpatrzona.")
    assert json.loads(row.payload)["attachments"] == KEPT


def test_a_waiting_message_keeps_its_bytes_until_the_erp_has_them(session, billing, clock):
    billing.fail("send_message", ErpUnavailable("send_message", "timed out"))
    store.enqueue(session, "K-1003", None, _message(), "Zawyżona faktura")
    deliver_due(session, billing)
    billing.failures.clear()
    clock[0] = NOON + timedelta(minutes=1)
    assert deliver_due(session, billing).delivered == 1
    sent = [args[1] for name, args in billing.calls if name == "send_message"]
    assert [attachment.content for attachment in sent[-1].attachments] == [SCAN, PHOTO]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_write_the_erp_calls_malformed_ends_refused_with_a_reason_not_retried(portal, protocol):
    site = portal(protocol)
    site.plan.replace("submit_reading", lambda body: (400, JSON, b'{"error": "Bad Request"}'))
    factory = site.app.extensions["database"]
    with factory() as session:
        store.enqueue(session, "K-1001", None, _reading("W-1001-1"), "W-1001-1: 480,000 m³")
    report = deliver_once(site.app)
    assert (report.rejected, report.retrying) == (1, 0)
    with factory() as session:
        row = _row(session)
        assert (row.status, row.attempts) == (REJECTED, 1)
        assert row.reason == ("System rozliczeniowy nie przyjmuje tych danych w tej postaci. "
                              "Prosimy Państwa o kontakt z biurem obsługi klienta.")
        session.execute(update(OutboxItem).values(next_attempt_at=datetime(2020, 1, 1)))
        session.commit()
    assert deliver_once(site.app).rejected == 0


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_write_answered_with_a_malformed_reply_is_tried_again_not_refused(portal, protocol):
    """The ERP may have taken a write whose reply is garbage: only its idempotency key may settle it."""
    site = portal(protocol)
    site.plan.replace("submit_reading", lambda body: (200, "text/html", b"<html>Proxy error</html>"))
    factory = site.app.extensions["database"]
    with factory() as session:
        store.enqueue(session, "K-1001", None, _reading("W-1001-1"), "W-1001-1: 480,000 m³")
    report = deliver_once(site.app)
    assert (report.rejected, report.retrying) == (0, 1)
    with factory() as session:
        assert _row(session).status == PENDING


@pytest.mark.parametrize("payload", [
    "{not json",
    '{"meter_id": "W-1003-1", "date": "2026-13-45", "value": "480.000", "note": ""}',
    '{"meter_id": "W-1003-1", "date": "2026-11-20", "value": "dużo", "note": ""}',
    '{"meter_id": "W-1003-1"}',
    "[]",
])
def test_a_write_the_portal_cannot_read_ends_refused_and_does_not_stop_the_others(session, billing, clock, payload):
    store.enqueue(session, "K-1003", None, _reading(key="broken"), "")
    store.enqueue(session, "K-1003", None, _reading(key="fine"), "")
    session.execute(update(OutboxItem).where(OutboxItem.idempotency_key == "broken").values(payload=payload))
    session.commit()
    report = deliver_due(session, billing)
    assert (report.delivered, report.rejected, report.retrying) == (1, 1, 0)
    session.expire_all()
    broken = session.scalars(select(OutboxItem).where(OutboxItem.idempotency_key == "broken")).one()
    assert broken.status == REJECTED
    assert broken.reason.startswith("Portal nie może odczytać tego zgłoszenia")


def test_a_write_waits_out_its_back_off_and_is_not_delivered_a_minute_early(session, billing, clock):
    billing.fail("submit_reading", ErpUnavailable("submit_reading", "timed out"))
    store.enqueue(session, "K-1003", None, _reading(), "")
    for attempt, earliest in enumerate([12, 24, 48, 96, 192, 384, 720, 720, 720], start=1):
        assert deliver_due(session, billing).retrying == 1
        waits = (_row(session).next_attempt_at - clock[0]).total_seconds()
        assert earliest <= waits <= earliest * 1.5, (attempt, waits)  # 15 s doubling, capped at 15 min, ±20 %
        clock[0] += timedelta(seconds=earliest - 1)
        assert deliver_due(session, billing).retrying == 0
        clock[0] += timedelta(seconds=waits - earliest + 2)
    assert _row(session).attempts == 9


def test_a_write_due_tomorrow_is_not_delivered_today(session, billing, clock):
    store.enqueue(session, "K-1003", None, _reading(), "")
    session.execute(update(OutboxItem).values(next_attempt_at=NOON + timedelta(days=1)))
    session.commit()
    assert deliver_due(session, billing).delivered == 0
    clock[0] = NOON + timedelta(hours=23, minutes=59)
    assert deliver_due(session, billing).delivered == 0
    clock[0] = NOON + timedelta(days=1)
    assert deliver_due(session, billing).delivered == 1
    assert _row(session).status == DELIVERED
