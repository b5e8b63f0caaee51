"""The outbox: a write is kept at once, delivered in the background with its idempotency key, exactly once
even with several deliverers, and nothing is lost when the ERP is down or a deliverer dies mid-delivery."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from adapters.core.errors import ErpRejected, ErpUnavailable
from adapters.core.records import Attachment, MessageDraft, MessageKind, ReadingSubmission
from adapters.resilience.narrowed import NarrowedBilling
from gateway.clock import utcnow
from gateway.outbox import store
from gateway.outbox.codec import ConsentChange, decode, encode, kind_of
from gateway.outbox.delivery import deliver_due
from gateway.outbox.model import DELIVERED, PENDING, REJECTED, OutboxItem
from tests.portal.doubles import ScriptedBilling


@pytest.fixture
def session(app):
    factory = app.extensions["database"]
    with factory() as session:
        yield session


def _reading(key: str = "k-1", value: str = "480.000") -> ReadingSubmission:
    return ReadingSubmission("W-1003-1", date(2026, 11, 21), Decimal(value), key, "z portalu")


class CountingPort(ScriptedBilling):
    """Counts deliveries per idempotency key: the measure of "never twice"."""

    def __init__(self, inner):
        super().__init__(inner)
        self.keys: Counter[str] = Counter()
        self.lock = threading.Lock()

    def _call(self, operation, *args):
        if operation == "submit_reading":
            with self.lock:
                self.keys[args[1].idempotency_key] += 1
        return super()._call(operation, *args)


def test_a_write_is_kept_before_anything_is_sent(session, billing):
    item = store.enqueue(session, "K-1003", None, _reading(), "W-1003-1: 200,000 m³")
    assert (item.status, item.attempts) == (PENDING, 0)
    assert not [call for call in billing.calls if call[0] == "submit_reading"]


def test_delivery_sends_the_write_once_with_its_key_and_keeps_the_erps_reference(session, billing):
    store.enqueue(session, "K-1003", None, _reading(), "")
    report = deliver_due(session, billing)
    item = session.scalars(select(OutboxItem)).one()
    assert (report.delivered, item.status, item.attempts) == (1, DELIVERED, 1)
    assert item.erp_reference
    assert billing.inner.list_readings("K-1003", "W-1003-1")[-1].value == Decimal("480.000")
    assert deliver_due(session, billing).delivered == 0


def test_a_refused_write_keeps_the_erps_reason(session, billing):
    billing.fail("submit_reading", ErpRejected("submit_reading", "Wskazanie niższe od poprzedniego."))
    store.enqueue(session, "K-1003", None, _reading(), "")
    deliver_due(session, billing)
    item = session.scalars(select(OutboxItem)).one()
    assert (item.status, item.reason) == (REJECTED, "Wskazanie niższe od poprzedniego.")


def test_a_write_the_erp_no_longer_offers_is_refused_with_a_polish_reason_not_retried(session, billing):
    store.enqueue(session, "K-1003", None, _reading(), "")
    report = deliver_due(session, NarrowedBilling(billing, {"submit_reading"}))
    item = session.scalars(select(OutboxItem)).one()
    assert (report.rejected, report.retrying, item.status) == (1, 0, REJECTED)
    assert item.reason == ("System rozliczeniowy nie przyjmuje już takich zgłoszeń przez portal. "
                           "Prosimy Państwa o kontakt z biurem obsługi klienta.")
    assert not [call for call in billing.calls if call[0] == "submit_reading"]


def test_an_erp_down_for_an_hour_loses_nothing(session, billing):
    billing.fail("submit_reading", ErpUnavailable("submit_reading", "timed out"))
    store.enqueue(session, "K-1003", None, _reading(), "")
    for _ in range(8):
        session.execute(update(OutboxItem).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        session.commit()
        assert deliver_due(session, billing).retrying == 1
    item = session.scalars(select(OutboxItem)).one()
    assert item.status == PENDING and item.attempts == 8 and "timed out" in item.last_error
    assert item.next_attempt_at - utcnow() <= timedelta(seconds=store.MAX_RETRY_SECONDS * 1.2)
    billing.failures.clear()
    session.execute(update(OutboxItem).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert deliver_due(session, billing).delivered == 1


def test_a_row_is_claimed_by_one_deliverer_only(session):
    item = store.enqueue(session, "K-1003", None, _reading(), "")
    now = utcnow()
    assert store.claim(session, item.id, "a", now) is not None
    assert store.claim(session, item.id, "b", now) is None


def test_a_deliverer_that_died_mid_delivery_leaves_the_row_to_another_after_its_lease(session, billing):
    item = store.enqueue(session, "K-1003", None, _reading(), "")
    assert store.claim(session, item.id, "crashed", utcnow()) is not None
    assert deliver_due(session, billing).delivered == 0
    session.execute(update(OutboxItem).values(claimed_until=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert deliver_due(session, billing).delivered == 1


def test_several_deliverers_at_once_deliver_each_write_exactly_once(app, billing):
    port = CountingPort(billing.inner)
    factory = app.extensions["database"]
    with factory() as session:
        for number in range(20):
            store.enqueue(session, "K-1003", None, _reading(f"k-{number}", f"{480 + number}.000"), "")

    def deliverer(name):
        with factory() as session:
            deliver_due(session, port, worker=name)

    threads = [threading.Thread(target=deliverer, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(port.keys.values()) == [1] * 20
    with factory() as session:
        assert {item.status for item in session.scalars(select(OutboxItem))} <= {DELIVERED, REJECTED}


@pytest.mark.parametrize("write", [
    _reading(),
    MessageDraft(MessageKind.COMPLAINT, "Temat", "Treść", "m-1", (Attachment("a.pdf", "application/pdf", b"%PDF-1"),),
                 "P-1", None),
    ConsentChange(True, "c-1"),
])
def test_every_kind_of_write_survives_the_database(write):
    assert decode(kind_of(write), encode(write), write.idempotency_key) == write


def test_the_customer_sees_their_own_recent_writes_only(session):
    store.enqueue(session, "K-1003", None, _reading("a"), "mine")
    store.enqueue(session, "K-1002", None, _reading("b"), "theirs")
    assert [item.summary for item in store.shown_to_customer(session, "K-1003", "reading")] == ["mine"]


def test_the_outbox_commands_deliver_and_report(app, session):
    store.enqueue(session, "K-1003", None, _reading(), "")
    runner = app.test_cli_runner()
    assert "pending    1" in runner.invoke(args=["outbox", "status"]).output
    assert "delivered 1, refused 0, still waiting 0" in runner.invoke(args=["outbox", "deliver"]).output
    assert "delivered  1" in runner.invoke(args=["outbox", "status"]).output


def test_the_in_process_deliverer_is_woken_by_a_new_write(app, session):
    from gateway.outbox.runner import run_forever

    wake, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=run_forever, args=(app, 30.0, wake, stop), daemon=True)
    thread.start()
    store.enqueue(session, "K-1003", None, _reading(), "")
    wake.set()
    for _ in range(100):
        session.expire_all()
        if session.scalars(select(OutboxItem)).one().status == DELIVERED:
            break
        threading.Event().wait(0.05)
    stop.set()
    wake.set()
    thread.join(5)
    assert session.scalars(select(OutboxItem)).one().status == DELIVERED
