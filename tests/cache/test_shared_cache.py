"""CachedBilling on a real Redis: answers, stale answers, one ERP call per cold key and evictions shared by
every process (here: several ports with clients of their own, as separate processes would have)."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timezone

import pytest
import redis

from adapters.core.errors import ErpUnavailable
from adapters.resilience.cached import CachedBilling
from adapters.resilience.read_tracking import Read, tracking_reads
from adapters.resilience.redis_store import RedisStore, connect
from tests.test_cached_billing import CountingBilling, _submission

READ_AT = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)


def shared_port(erp: CountingBilling, url: str, **ttl: float) -> CachedBilling:
    """One process's port: its own Redis connections, the one shared server."""
    store = RedisStore(connect(url, 0.5), ttl={"list_invoices": 30, **ttl}, lock_seconds=5)
    return CachedBilling(erp, store=store, clock=lambda: READ_AT)


@pytest.fixture
def erp() -> CountingBilling:
    return CountingBilling()


@pytest.fixture
def ports(erp, redis_url) -> list[CachedBilling]:
    return [shared_port(erp, redis_url) for _ in range(3)]


@pytest.fixture
def raw(redis_url):
    with redis.Redis.from_url(redis_url) as client:
        yield client


def run_while_the_erp_holds(erp: CountingBilling, first: threading.Thread, *others: threading.Thread) -> None:
    """`first` enters the ERP call and is held there while the others start and queue behind it."""
    erp.gate = threading.Event()
    first.start()
    assert erp.entered.wait(5)
    for thread in others:
        thread.start()
    time.sleep(0.2)
    erp.gate.set()
    for thread in (first, *others):
        thread.join(10)


def test_an_answer_one_process_got_is_served_to_the_others(ports, erp):
    answers = [port.list_invoices("K-1001") for port in ports]
    assert answers[0] == answers[1] == answers[2] and len(answers[0]) > 0
    assert erp.calls["list_invoices:K-1001"] == 1


def test_concurrent_requests_in_three_processes_for_one_cold_key_make_one_erp_call(ports, erp):
    results: list[int] = []
    threads = [threading.Thread(target=lambda port=port: results.append(len(port.list_invoices("K-1001"))))
               for port in ports for _ in range(10)]
    run_while_the_erp_holds(erp, *threads)
    assert len(results) == 30 and len(set(results)) == 1
    assert erp.calls["list_invoices:K-1001"] == 1


def test_waiters_in_other_processes_share_the_failure_of_the_call_in_flight(ports, erp):
    erp.failures = 1
    outcomes: list[str] = []

    def read(port: CachedBilling) -> None:
        try:
            port.list_invoices("K-1001")
            outcomes.append("answered")
        except ErpUnavailable:
            outcomes.append("failed")

    run_while_the_erp_holds(erp, *(threading.Thread(target=read, args=(port,)) for port in ports))
    assert outcomes == ["failed"] * 3
    assert erp.calls["list_invoices:K-1001"] == 1


def test_when_the_erp_fails_another_process_serves_the_last_good_answer_marked_stale(erp, redis_url):
    reader = shared_port(erp, redis_url, list_invoices=0.2)
    fresh = reader.list_invoices("K-1001")
    time.sleep(0.3)
    erp.failures = 1
    with tracking_reads() as reads:
        assert shared_port(erp, redis_url, list_invoices=0.2).list_invoices("K-1001") == fresh
    assert reads == [Read(READ_AT, stale=True)]
    assert erp.calls["list_invoices:K-1001"] == 2


def test_a_write_delivered_by_another_process_drops_the_answers_it_changes_everywhere(ports, erp):
    portal, deliverer = ports[0], ports[1]
    submission = _submission(portal)
    deliverer.submit_reading("K-1003", submission)
    erp.failures = 1
    with pytest.raises(ErpUnavailable):
        ports[2].list_readings("K-1003", submission.meter_id)  # the stale copy was dropped too
    readings = portal.list_readings("K-1003", submission.meter_id)
    assert readings[-1].date == submission.date
    assert erp.calls["list_readings"] == 3


def test_evict_drops_only_the_named_operations_of_that_customer(ports, erp):
    for port in (ports[0], None, ports[2]):
        if port is None:
            ports[1].evict("K-1001", frozenset({"list_invoices"}))
            continue
        port.list_invoices("K-1001")
        port.list_invoices("K-1002")
        port.get_customer("K-1001")
    assert erp.calls["list_invoices:K-1001"] == 2 and erp.calls["list_invoices:K-1002"] == 1
    assert erp.asked["get_customer"] == 1


def test_a_read_overtaken_by_a_write_in_another_process_is_not_stored(ports, erp):
    erp.gate = threading.Event()
    reader = threading.Thread(target=lambda: ports[0].list_invoices("K-1001"))
    reader.start()
    assert erp.entered.wait(5)
    ports[1].evict("K-1001")
    erp.gate.set()
    reader.join(5)
    erp.gate = None
    ports[2].list_invoices("K-1001")
    assert erp.calls["list_invoices:K-1001"] == 2


def test_keys_start_with_the_customer_id_and_all_expire(ports, raw):
    ports[0].list_invoices("K-1001")
    ports[0].get_customer("K-1002")
    ports[1].evict("K-1001", frozenset({"get_customer"}))
    names = sorted(name.decode() for name in raw.scan_iter("*"))
    assert names and all(name.startswith(("ibok:K-1001:", "ibok:K-1002:")) for name in names)
    assert "ibok:K-1001:fresh:list_invoices:[]" in names and "ibok:K-1002:stale:get_customer:[]" in names
    lifetimes = {name: raw.pttl(name) for name in names}
    assert all(0 < lifetime <= 24 * 3600 * 1000 for lifetime in lifetimes.values()), lifetimes
    assert 29_000 < lifetimes["ibok:K-1001:fresh:list_invoices:[]"] <= 30_000


def test_answers_are_stored_as_json_and_anything_else_found_is_a_miss(ports, erp, raw):
    ports[0].get_customer("K-1001")
    stored = raw.get("ibok:K-1001:fresh:get_customer:[]")
    assert json.loads(stored)[1]["$record"][0] == "Customer"
    raw.set("ibok:K-1001:fresh:get_customer:[]", b"\x80\x04\x95 a pickle", px=30_000)
    assert ports[1].get_customer("K-1001").id == "K-1001"
    assert erp.asked["get_customer"] == 2


def test_a_customer_id_cannot_reach_into_another_customers_keys(ports, erp, raw):
    ports[0].list_invoices("K-1001")
    ports[0].evict("ibok:K-1001:*")
    ports[0].evict("K-1001:fresh")
    ports[1].list_invoices("K-1001")
    assert erp.calls["list_invoices:K-1001"] == 1


def test_an_answer_redis_still_holds_is_handed_out_again_as_the_same_objects(ports, raw):
    """So the page fragments kept per answer's records are found again; other bytes are decoded anew."""
    ports[0].get_customer("K-1001")
    kept = ports[1].get_customer("K-1001")
    assert ports[1].get_customer("K-1001") is kept
    name = "ibok:K-1001:fresh:get_customer:[]"
    raw.set(name, raw.get(name).replace(b"Jan Kowalski", b"Jan Kowalsky"), px=30_000)
    changed = ports[1].get_customer("K-1001")
    assert changed.name == "Jan Kowalsky" and changed is not kept
