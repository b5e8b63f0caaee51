"""Two portal processes on one database: a write one of them (or a deliverer of its own) delivered is not served
stale by the other after a second, because each process evicts what finished writes changed."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import pytest

from adapters.resilience.cached import CachedBilling
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway.app import create_app
from gateway.db.database import db
from gateway.outbox.invalidation import EXTENSION_KEY, Watermark, evict_finished
from gateway.outbox.runner import deliver_once
from tests.portal.doubles import ScriptedBilling
from tests.portal_fixtures import sign_in

SUBJECT = "Wyciek przed licznikiem"


@pytest.fixture
def erp() -> FakeBilling:
    """The one ERP both processes talk to."""
    return FakeBilling(DemoStore.load())


@pytest.fixture
def billing(erp: FakeBilling) -> CachedBilling:
    """The first process's port (the `app` fixture's): a cache of its own over the shared ERP."""
    return CachedBilling(erp)


@pytest.fixture
def processes(app: Any, config: dict[str, Any], erp: FakeBilling) -> tuple[Any, Any, ScriptedBilling]:
    """Two portals with caches of their own over one ERP and one database; the second one's ERP calls counted."""
    counted = ScriptedBilling(erp)
    return app, create_app(config, billing=CachedBilling(counted)), counted


def _signed_in(app: Any) -> Any:
    client = app.test_client()
    assert sign_in(client).status_code == 302
    return client


def _message() -> dict[str, str]:
    return {"kind": "inquiry", "subject": SUBJECT, "body": "Proszę o kontakt.", "idempotency_key": str(uuid.uuid4())}


def test_a_message_delivered_by_one_process_shows_on_the_other_within_a_second(processes, make_account):
    first, second, _ = processes
    make_account()
    here, there = _signed_in(first), _signed_in(second)
    assert SUBJECT not in there.get("/messages/").get_data(as_text=True)  # the other process caches the list
    assert here.post("/messages/new", data=_message()).status_code == 302
    assert deliver_once(first).delivered == 1
    time.sleep(second.config["OUTBOX_EVICT_INTERVAL_SECONDS"])
    page = there.get("/messages/").get_data(as_text=True)
    assert SUBJECT in page and "oczekuje na przekazanie" not in page


def test_a_consent_delivered_elsewhere_makes_the_other_process_ask_the_erp_again(processes, make_account):
    first, second, counted = processes
    make_account()
    here, there = _signed_in(first), _signed_in(second)
    there.get("/settings/")
    there.get("/settings/")
    assert [call[0] for call in counted.calls].count("list_contracts") == 1  # the second page came from the cache
    here.post("/settings/e-invoice", data={"enable": "1", "idempotency_key": str(uuid.uuid4())})
    assert deliver_once(first).delivered == 1
    time.sleep(second.config["OUTBOX_EVICT_INTERVAL_SECONDS"])
    page = there.get("/settings/").get_data(as_text=True)
    assert [call[0] for call in counted.calls].count("list_contracts") == 2
    assert "E-faktura jest włączona" in page


class Recorder:
    """A cache that only records what it is told to evict."""

    def __init__(self) -> None:
        self.evicted: list[tuple[str, frozenset[str] | None]] = []

    def evict(self, customer_id: str, operations: frozenset[str] | None = None) -> None:
        self.evicted.append((customer_id, operations))


def test_each_finished_write_is_evicted_once_also_when_committed_after_the_look(app, make_account):
    first = app
    make_account()
    client = _signed_in(first)
    client.post("/messages/new", data=_message())
    mark: Watermark = first.extensions[EXTENSION_KEY]
    cache = Recorder()
    with first.app_context():
        evict_finished(db(), cache, mark)
        assert cache.evicted == []  # waiting, not finished
        deliver_once(first)
        mark.since += timedelta(seconds=5)  # the row's finish time is now before the last look, within the margin
        assert evict_finished(db(), cache, mark) == 1
        assert evict_finished(db(), cache, mark) == 0
    assert cache.evicted == [("K-1001", frozenset({"list_messages"}))]


def test_a_process_looks_on_a_request_then_not_again_within_the_interval(app):
    mark: Watermark = app.extensions[EXTENSION_KEY]
    assert mark.due(time.monotonic())
    app.test_client().get("/sign-in")
    assert not mark.due(mark.looked + 0.9) and mark.due(mark.looked + 1.0)
