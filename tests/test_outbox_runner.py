"""The demo's in-process deliverer ends when asked (at the process's exit, after each test): no thread outlives the
app it delivers for, writing into a database that has since been handed to someone else."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from adapters.core.records import ReadingSubmission
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.outbox import store
from gateway.outbox.model import DELIVERED, PENDING, OutboxItem
from gateway.outbox.runner import IN_PROCESS_KEY, stop_in_process_delivery


def _outbox_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "outbox"]


def _demo_delivery_app(config, billing):
    """An app that delivers in its own process, its deliverer started by a first request."""
    app = create_app({**config, "OUTBOX_IN_PROCESS": True, "OUTBOX_INTERVAL_SECONDS": 30}, billing=billing)
    upgrade_database(app)
    assert app.test_client().get("/healthz").status_code == 200
    return app


def _enqueue(app) -> None:
    with app.extensions["database"]() as session:
        store.enqueue(session, "K-1003", None, ReadingSubmission("W-1003-1", date(2026, 11, 21), Decimal("480.000"),
                                                                 "k-1", ""), "")
    app.extensions[IN_PROCESS_KEY].wake.set()


def _status(app) -> str:
    with app.extensions["database"]() as session:
        return session.scalars(select(OutboxItem.status)).one()


def test_a_stopped_deliverer_has_ended_and_delivers_nothing_more(config, billing):
    app = _demo_delivery_app(config, billing)
    assert [thread.is_alive() for thread in _outbox_threads()] == [True]
    stop_in_process_delivery()
    assert _outbox_threads() == []
    _enqueue(app)
    threading.Event().wait(0.2)
    assert _status(app) == PENDING


def test_a_running_deliverer_delivers_and_is_left_for_the_tests_teardown_to_end(config, billing):
    """The suite's teardown (`no_outbox_thread_outlives_its_test`) stops it, and errors if a thread is left."""
    app = _demo_delivery_app(config, billing)
    _enqueue(app)
    for _ in range(200):
        if _status(app) == DELIVERED:
            break
        threading.Event().wait(0.02)
    assert _status(app) == DELIVERED
    assert len(_outbox_threads()) == 1
