"""CachedBilling: one ERP call per key, per customer, for a while; never an error; never a stale write."""

from __future__ import annotations

import gc
import threading
import time
from collections import Counter
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpUnavailable
from adapters.core.records import MessageDraft, MessageKind, ReadingSubmission
from adapters.resilience.breakers import BreakerBilling
from adapters.resilience.cached import CachedBilling
from adapters.resilience.peeking import Peekable
from adapters.resilience.read_tracking import Read, tracking_reads
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore

READ_AT = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)


class CountingBilling(FakeBilling):
    """The demo ERP in-process, counting calls and able to fail or stall on demand."""

    def __init__(self) -> None:
        super().__init__(DemoStore.load())
        self.calls: Counter[str] = Counter()
        self.asked: Counter[str] = Counter()  # every operation the ERP was asked to perform
        self.failures = 0
        self.error: ErpError | None = None  # raised once by the next list_invoices
        self.gate: threading.Event | None = None
        self.entered = threading.Event()

    def perform(self, operation, customer_id, *args):
        self.asked[operation] += 1
        return super().perform(operation, customer_id, *args)

    def list_invoices(self, customer_id):
        self.calls[f"list_invoices:{customer_id}"] += 1
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(5)
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        if self.failures:
            self.failures -= 1
            raise ErpUnavailable("list_invoices", "down")
        return super().list_invoices(customer_id)

    def list_readings(self, customer_id, meter_id):
        self.calls["list_readings"] += 1
        if self.failures:
            self.failures -= 1
            raise ErpUnavailable("list_readings", "down")
        return super().list_readings(customer_id, meter_id)


class Timer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def inner() -> CountingBilling:
    return CountingBilling()


@pytest.fixture
def timer() -> Timer:
    return Timer()


@pytest.fixture
def cached(inner, timer) -> CachedBilling:
    return CachedBilling(inner, ttl={"list_invoices": 30}, timer=timer, clock=lambda: READ_AT)


def test_a_second_read_is_served_from_the_cache(cached, inner):
    assert cached.list_invoices("K-1001") == cached.list_invoices("K-1001")
    assert inner.calls["list_invoices:K-1001"] == 1


def test_keys_start_with_the_customer_so_customers_never_share_answers(cached, inner):
    mine, theirs = cached.list_invoices("K-1001"), cached.list_invoices("K-1002")
    assert {i.id for i in mine}.isdisjoint({i.id for i in theirs})
    assert inner.calls["list_invoices:K-1002"] == 1


def test_an_answer_expires_after_its_operations_time_to_live(cached, inner, timer):
    cached.list_invoices("K-1001")
    timer.now += 31
    cached.list_invoices("K-1001")
    assert inner.calls["list_invoices:K-1001"] == 2


def test_errors_are_never_cached(cached, inner):
    inner.failures = 1
    with pytest.raises(ErpUnavailable):
        cached.list_invoices("K-1001")
    assert cached.list_invoices("K-1001")
    assert inner.calls["list_invoices:K-1001"] == 2


def test_concurrent_requests_for_one_cold_key_make_one_erp_call(cached, inner):
    inner.gate = threading.Event()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cached.list_invoices("K-1001"))) for _ in range(20)]
    for thread in threads:
        thread.start()
    inner.gate.set()
    for thread in threads:
        thread.join(5)
    assert len(results) == 20
    assert inner.calls["list_invoices:K-1001"] == 1


def test_waiters_share_the_failure_of_the_call_in_flight_instead_of_each_calling_a_dead_erp(cached, inner):
    inner.failures = 1
    inner.gate = threading.Event()
    outcomes: list[int | str] = []

    def read():
        try:
            outcomes.append(len(cached.list_invoices("K-1001")))
        except ErpUnavailable:
            outcomes.append("failed")

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    assert inner.entered.wait(5)
    time.sleep(0.05)
    inner.gate.set()
    for thread in threads:
        thread.join(5)
    assert outcomes == ["failed"] * 3
    assert inner.calls["list_invoices:K-1001"] == 1


def test_when_the_erp_fails_the_last_good_answer_is_served_marked_stale(cached, inner, timer):
    fresh = cached.list_invoices("K-1001")
    timer.now += 31
    inner.failures = 1
    with tracking_reads() as reads:
        assert cached.list_invoices("K-1001") == fresh
    assert reads == [Read(READ_AT, stale=True)]


@pytest.mark.parametrize("error", [ErpNotFound("list_invoices", "no such customer"),
                                   ErpBadResponse("list_invoices", "expected a list", field="invoices")])
def test_only_unavailability_is_answered_from_the_last_good_answer(cached, inner, timer, error):
    """"Not found" and a malformed reply are answers: the customer sees them, not yesterday's data."""
    cached.list_invoices("K-1001")
    timer.now += 31
    inner.error = error
    with tracking_reads() as reads, pytest.raises(type(error)):
        cached.list_invoices("K-1001")
    assert reads == []
    assert inner.calls["list_invoices:K-1001"] == 2


def test_a_long_outage_keeps_no_frames_of_the_failures_before_the_last(cached, inner, timer):
    """Each raised failure's traceback holds the frame that read the one before: kept as raised, every failure
    of an outage stayed alive, and the collector's pauses grew (bench figure 5: p99 2 ms -> 170 ms)."""
    cached.list_invoices("K-1001")
    timer.now += 31
    inner.failures = 10_000
    cached.list_invoices("K-1001")
    gc.collect()
    before = sum(1 for thing in gc.get_objects() if isinstance(thing, ErpUnavailable))
    for _ in range(200):
        cached.list_invoices("K-1001")
    gc.disable()  # count what is kept alive, not what the collector has not reached yet
    try:
        kept = sum(1 for thing in gc.get_objects() if isinstance(thing, ErpUnavailable))
    finally:
        gc.enable()
    assert kept - before < 5, f"{kept - before} failures kept alive after 200 failed reads"


def test_with_no_good_answer_kept_the_failure_is_raised(cached, inner):
    inner.failures = 1
    with pytest.raises(ErpUnavailable):
        cached.list_invoices("K-1001")


def test_a_recovered_erp_is_asked_again(cached, inner, timer):
    cached.list_invoices("K-1001")
    timer.now += 31
    inner.failures = 1
    cached.list_invoices("K-1001")
    cached.list_invoices("K-1001")
    assert inner.calls["list_invoices:K-1001"] == 3


def test_a_write_also_drops_the_stale_answers_it_changed(cached, inner):
    submission = _submission(cached)
    cached.submit_reading("K-1003", submission)
    inner.failures = 1
    with pytest.raises(ErpUnavailable):
        cached.list_readings("K-1003", submission.meter_id)


def _submission(cached, customer_id="K-1003"):
    meter = next(m for m in cached.list_meters(customer_id) if m.status.value == "active")
    last = cached.list_readings(customer_id, meter.id)[-1]
    return ReadingSubmission(meter.id, date(2026, 11, 21), last.value + Decimal("3.000"), "key-1")


def test_a_write_evicts_the_answers_it_changes(cached, inner):
    submission = _submission(cached)
    cached.submit_reading("K-1003", submission)
    readings = cached.list_readings("K-1003", submission.meter_id)
    assert inner.calls["list_readings"] == 2
    assert readings[-1].date == date(2026, 11, 21)


def test_a_read_overtaken_by_a_write_is_not_stored(cached, inner):
    inner.gate = threading.Event()
    reader = threading.Thread(target=lambda: cached.list_invoices("K-1001"))
    reader.start()
    assert inner.entered.wait(5)
    cached.evict("K-1001")
    inner.gate.set()
    reader.join(5)
    inner.gate = None
    cached.list_invoices("K-1001")
    assert inner.calls["list_invoices:K-1001"] == 2


def test_each_cache_is_bounded(inner, timer):
    small = CachedBilling(inner, max_entries={"list_invoices": 2}, timer=timer)
    for customer_id in ("K-1001", "K-1002", "K-1003", "K-1001"):
        small.list_invoices(customer_id)
    assert inner.calls["list_invoices:K-1001"] == 2


def test_served_answers_report_when_they_were_read(cached):
    with tracking_reads() as reads:
        cached.list_invoices("K-1001")
        cached.list_invoices("K-1001")
    assert reads == [Read(READ_AT), Read(READ_AT)]


def test_peek_gives_the_last_good_answer_without_asking_the_erp(cached, inner, timer):
    assert cached.peek("list_invoices", "K-1001") is None
    answer = cached.list_invoices("K-1001")
    timer.now += 31
    assert cached.peek("list_invoices", "K-1001") == answer, "an expired answer is still kept for serving stale"
    assert inner.calls["list_invoices:K-1001"] == 1
    assert cached.peek("list_invoices", "K-1002") is None


def test_the_cache_offers_peek_and_the_adapters_and_breakers_do_not(cached, inner):
    offers: Peekable = cached
    assert isinstance(offers, Peekable)
    assert not isinstance(inner, Peekable)
    assert not isinstance(BreakerBilling(inner), Peekable)


def test_peek_forgets_what_a_write_evicted(cached):
    submission = _submission(cached)
    assert cached.peek("list_meters", "K-1003", None) is not None
    cached.submit_reading("K-1003", submission)
    assert cached.peek("list_meters", "K-1003", None) is None


def test_an_e_invoice_consent_drops_the_cached_customer_and_contracts(cached, inner):
    """K-1001's two active contracts take the consent; the terminated one keeps none."""
    assert [contract.einvoice_consent for contract in cached.list_contracts("K-1001")] == [False, False, False]
    cached.get_customer("K-1001")
    cached.set_einvoice_consent("K-1001", True, "key-einvoice-1")
    cached.get_customer("K-1001")
    assert [contract.einvoice_consent for contract in cached.list_contracts("K-1001")] == [False, True, True]
    assert inner.asked["get_customer"] == 2 and inner.asked["list_contracts"] == 2


def test_a_sent_message_drops_the_message_list(cached, inner):
    before = cached.list_messages("K-1001")
    draft = MessageDraft(MessageKind("inquiry"), "Pytanie o fakturę", "Treść pytania.", "key-message-1")
    cached.send_message("K-1001", draft)
    after = cached.list_messages("K-1001")
    assert inner.asked["list_messages"] == 2
    assert len(after) == len(before) + 1 and "Pytanie o fakturę" in {message.subject for message in after}
