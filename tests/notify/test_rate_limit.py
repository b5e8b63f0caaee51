"""The ERP is never asked more than NOTIFY_ERP_CALLS_PER_SECOND times in a second, counted on a fake clock."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime

import pytest

from gateway.notify.fetch import Fetcher
from gateway.notify.ratelimit import RateLimiter
from tests.notify.conftest import ALL_KINDS, HandMadeErp, news, run_once, switch_on
from tests.portal_fixtures import add_account

LATE = datetime(2026, 12, 10, 22, 0)


class FakeClock:
    """Time moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


def test_calls_are_spaced_evenly_at_the_rate():
    clock = FakeClock()
    limiter = RateLimiter(4, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(9):
        limiter.wait()
        starts.append(clock.now - 1000)
    assert starts == [0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]


def test_threads_reserve_distinct_turns():
    """Twenty threads at once, the clock standing still: each waits its own multiple of a fifth of a second."""
    slept: list[float] = []
    limiter = RateLimiter(5, clock=lambda: 0.0, sleep=slept.append)
    threads = [threading.Thread(target=limiter.wait) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(round(seconds, 6) for seconds in slept) == [round(0.2 * turn, 6) for turn in range(1, 20)]


def test_a_rate_of_zero_is_refused():
    with pytest.raises(ValueError, match="NOTIFY_ERP_CALLS_PER_SECOND"):
        RateLimiter(0)


def test_a_run_over_six_customers_keeps_to_five_erp_calls_a_second(notify_app, erp, mailbox):
    clock = FakeClock()
    erp.clock = clock
    for number in range(1, 7):
        erp.data[f"K-{number}"] = news(number)
        account_id = add_account(notify_app, login=f"customer{number}", customer_id=f"K-{number}",
                                 email=f"customer{number}@example.com")
        switch_on(notify_app, account_id, ALL_KINDS, at=LATE)  # the ERP is asked, nothing is new: no e-mails
    run_once(notify_app, erp, threads=1, limiter=RateLimiter(5, clock=clock, sleep=clock.sleep))
    assert len(erp.times) == 6 * 4  # invoices, settlements, meters, messages: one read each per customer
    per_second = Counter(int(moment - 1000) for moment in erp.times)
    assert max(per_second.values()) == 5 and clock.now - 1000 == pytest.approx(4.6)


def test_the_fetcher_asks_each_customer_only_for_what_it_needs():
    erp = HandMadeErp({"K-1": news(1), "K-2": news(2)})
    answers = Fetcher(erp, RateLimiter(1000), 2).batch({"K-1": {"list_invoices"}, "K-2": {"list_messages"}})
    assert sorted(erp.calls) == [("list_invoices", "K-1"), ("list_messages", "K-2")]
    assert not answers["K-1"].failed and set(answers["K-2"].by_operation) == {"list_messages"}
