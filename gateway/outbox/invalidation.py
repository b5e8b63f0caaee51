"""Answers a write changed, dropped in every portal process, also when another process delivered the write.

Each process looks, at most once a second and on the request path, for writes the ERP took or refused since its
last look (one query on the indexed finish time) and evicts `(customer id, the write's evicts)` from its cache.
The look reaches back a margin before the last one, so a row committed late or stamped by a host whose clock
runs behind is still seen; the ids seen within that margin are kept so that none is evicted twice.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.core.operations import OPERATIONS
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.erp.billing import EXTENSION_KEY as BILLING_KEY
from gateway.outbox.codec import DELIVERED_BY
from gateway.outbox.model import FINISHED_BY_ERP, OutboxItem

log = logging.getLogger(__name__)
EXTENSION_KEY = "outbox_invalidation"


@runtime_checkable
class Evicting(Protocol):
    """The cache's eviction (in-process or shared): forget a customer's answers to the named reads."""

    def evict(self, customer_id: str, operations: frozenset[str] | None = None) -> None:
        """Drop the customer's cached answers of these operations (all of them when None)."""


@dataclass
class Watermark:
    """This process's last look: its time (by the portal's clock), the rows it saw then, and when it looked."""

    since: datetime
    interval: float
    margin: timedelta
    seen: set[int] = field(default_factory=set)
    looked: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)

    def due(self, now: float) -> bool:
        return now - self.looked >= self.interval


def evicting_cache(port: Any) -> Evicting | None:
    """The outermost decorator of the port that can evict; None when the port keeps no answers."""
    while port is not None:
        if isinstance(port, Evicting):
            return port
        port = getattr(port, "inner", None)
    return None


def finished_since(session: Session, since: datetime) -> list[tuple[int, str, str]]:
    """(id, customer id, kind) of the writes the ERP took or refused at or after `since`."""
    query = (select(OutboxItem.id, OutboxItem.customer_id, OutboxItem.kind)
             .where(OutboxItem.finished_at >= since, OutboxItem.status.in_(FINISHED_BY_ERP)))
    return [(row_id, customer_id, kind) for row_id, customer_id, kind in session.execute(query)]


def evict_finished(session: Session, cache: Evicting, mark: Watermark) -> int:
    """Evict what the writes finished since the last look changed; returns how many writes that was."""
    started = utcnow()
    rows = finished_since(session, mark.since - mark.margin)
    fresh = [(customer_id, kind) for row_id, customer_id, kind in rows if row_id not in mark.seen]
    for customer_id, kind in fresh:
        cache.evict(customer_id, OPERATIONS[DELIVERED_BY[kind]].evicts)
    mark.seen, mark.since = {row_id for row_id, _, _ in rows}, started
    return len(fresh)


def drop_changed_answers() -> None:
    """Before each view: at most once a second (one thread at a time, the others do not wait), evict here what
    writes finished anywhere since this process last looked."""
    mark: Watermark | None = current_app.extensions.get(EXTENSION_KEY)
    if mark is None or not mark.due(time.monotonic()) or not mark.lock.acquire(blocking=False):
        return
    try:
        if mark.due(time.monotonic()):
            cache = evicting_cache(current_app.extensions[BILLING_KEY])
            assert cache is not None  # init_invalidation installs no watermark without one
            evicted = evict_finished(db(), cache, mark)
            mark.looked = time.monotonic()
            if evicted:
                log.debug("answers of %d finished writes evicted", evicted)
    finally:
        mark.lock.release()


def init_invalidation(app: Flask) -> None:
    """A watermark for this process, when its port caches answers; starts now: the cache is empty before."""
    if evicting_cache(app.extensions[BILLING_KEY]) is None:
        return
    app.extensions[EXTENSION_KEY] = Watermark(
        since=utcnow(), interval=float(app.config["OUTBOX_EVICT_INTERVAL_SECONDS"]),
        margin=timedelta(seconds=float(app.config["OUTBOX_EVICT_MARGIN_SECONDS"])))
