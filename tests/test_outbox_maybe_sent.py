"""Which failed delivery attempts may have put a write in the ERP, over the real REST adapter: a 5xx or a read
timeout may have (the customer can no longer withdraw or correct it), a connection refused before any byte left
cannot, and a deliverer that died holding the row may have."""

from __future__ import annotations

import socket
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
import responses
from sqlalchemy import update

from adapters.core.records import ReadingSubmission
from adapters.core.settings import ErpSettings
from adapters.rest.billing import RestBilling
from gateway.clock import utcnow
from gateway.outbox import store
from gateway.outbox.delivery import deliver_due
from gateway.outbox.model import PENDING, WITHDRAWN, OutboxItem

BASE = "http://erp.test/api/v1"
READINGS = f"{BASE}/customers/K-1003/meters/W-1003-1/readings"


@pytest.fixture
def session(app):
    with app.extensions["database"]() as session:
        yield session


def _reading(key: str, value: str = "480.000") -> ReadingSubmission:
    return ReadingSubmission("W-1003-1", date(2026, 11, 21), Decimal(value), key, "z portalu")


def _closed_port() -> int:
    """A loopback port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("failure", [dict(status=503), dict(body=requests.ReadTimeout("read timed out"))])
@responses.activate
def test_a_write_the_erp_may_have_stored_is_neither_withdrawn_nor_replaced(session, failure):
    responses.post(READINGS, **failure)
    item = store.enqueue(session, "K-1003", None, _reading("k-1"), "")
    assert deliver_due(session, RestBilling(ErpSettings(url=BASE + "/"))).retrying == 1
    assert len(responses.calls) == 1
    assert store.replace_pending(session, item.id, _reading("k-2", "481.000"), "") is False
    assert store.withdraw_pending(session, item.id) is False
    session.commit()
    session.refresh(item)
    assert (item.status, item.idempotency_key, item.maybe_sent) == (PENDING, "k-1", True)


def test_a_write_refused_at_connect_can_still_be_withdrawn(session):
    item = store.enqueue(session, "K-1003", None, _reading("k-1"), "")
    port = RestBilling(ErpSettings(url=f"http://127.0.0.1:{_closed_port()}/api/v1/"))
    assert deliver_due(session, port).retrying == 1
    session.refresh(item)
    assert (item.attempts, item.maybe_sent) == (1, False)
    assert store.withdraw_pending(session, item.id) is True
    session.commit()
    session.refresh(item)
    assert item.status == WITHDRAWN


def test_a_write_whose_deliverer_died_holding_it_stays_as_it_is(session, billing):
    item = store.enqueue(session, "K-1003", None, _reading("k-1"), "")
    assert store.claim(session, item.id, "crashed", utcnow()) is not None
    session.execute(update(OutboxItem).values(claimed_until=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert store.withdraw_pending(session, item.id) is False
    claimed = store.claim(session, item.id, "next", utcnow())
    assert claimed is not None and claimed.maybe_sent is True
