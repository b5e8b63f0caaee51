"""Redis slow or down: pages still answer from the ERP through the process's own cache, with one log line and
a /readyz entry, and evictions Redis missed reach it when it is back."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import pytest

from adapters.resilience.cached import CachedBilling
from adapters.resilience.fallback import FallbackStore
from adapters.resilience.redis_store import RedisStore, connect
from adapters.resilience.stores import MemoryStore
from gateway.erp.billing import build_billing, build_store
from tests.infra.processes import free_port
from tests.test_cached_billing import CountingBilling

TIMEOUT = 0.25


def fallback_port(erp: CountingBilling, url: str, retry_seconds: float = 5.0) -> CachedBilling:
    shared = RedisStore(connect(url, TIMEOUT), lock_seconds=5)
    return CachedBilling(erp, store=FallbackStore(shared, MemoryStore(), retry_seconds=retry_seconds))


@pytest.fixture
def erp() -> CountingBilling:
    return CountingBilling()


@pytest.fixture
def nowhere() -> str:
    """A Redis URL nobody listens on: Redis down."""
    return f"redis://127.0.0.1:{free_port()}/0"


def test_with_redis_down_reads_are_answered_and_cached_in_the_process(erp, nowhere, caplog):
    port = fallback_port(erp, nowhere)
    with caplog.at_level(logging.WARNING, logger="adapters.resilience.fallback"):
        first, second = port.list_invoices("K-1001"), port.list_invoices("K-1001")
    assert first == second and len(first) > 0
    assert erp.calls["list_invoices:K-1001"] == 1
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1 and "shared cache unavailable (ConnectionError)" in warnings[0]
    assert port.store.state() == "redis unavailable"


def test_a_hanging_redis_costs_a_read_its_short_timeout_not_retries(erp, redis_url, redis_server):
    port = fallback_port(erp, redis_url)
    port.get_customer("K-1001")
    redis_server.pause()
    try:
        started = time.monotonic()
        assert port.list_invoices("K-1001")
        assert port.list_invoices("K-1002")
        elapsed = time.monotonic() - started
    finally:
        redis_server.resume()
    assert elapsed < 4 * TIMEOUT + 0.5, f"{elapsed:.2f} s"


def test_evictions_redis_missed_are_replayed_when_it_answers_again(erp, redis_url, redis_server):
    portal, deliverer = fallback_port(erp, redis_url), fallback_port(erp, redis_url, retry_seconds=0.2)
    portal.list_invoices("K-1001")
    redis_server.pause()
    try:
        deliverer.evict("K-1001", frozenset({"list_invoices"}))
    finally:
        redis_server.resume()
    assert portal.list_invoices("K-1001") and erp.calls["list_invoices:K-1001"] == 1, "Redis kept the old answer"
    time.sleep(0.3)
    assert deliverer.store.state() == "redis"
    portal.list_invoices("K-1001")
    assert erp.calls["list_invoices:K-1001"] == 2


def test_without_a_cache_url_each_process_keeps_its_own(app):
    assert isinstance(build_store(app.config), MemoryStore)


@pytest.mark.parametrize("down", [False, True])
def test_readyz_names_the_cache_and_stays_ready_while_redis_is_down(app, client, redis_url, nowhere, down):
    config = {**app.config, "ERP_ADAPTER": "fake", "CACHE_URL": nowhere if down else redis_url}
    app.extensions["billing"] = build_billing(config)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["cache"] == ("redis unavailable" if down else "redis")
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_pages_answer_while_redis_is_down(app, signed_in, billing, nowhere):
    store = build_store({**app.config, "CACHE_URL": nowhere})
    app.extensions["billing"] = CachedBilling(billing, store=store)
    for path in ("/", "/invoices/", "/settlements/"):
        response = signed_in.get(path)
        assert response.status_code == 200, path


def test_a_portal_without_a_cache_url_does_not_load_redis_py(tmp_path):
    """redis-py costs every process about 7 MB (bench figure 7 counts each worker's memory)."""
    script = ("import sys; from gateway.app import create_app; "
              f"create_app({{'DATABASE_URL': 'sqlite:///{tmp_path}/ibok.sqlite'}}); print('redis' in sys.modules)")
    env = {name: value for name, value in os.environ.items() if not name.startswith("IBOK_")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.stdout.strip() == "False", done.stderr
