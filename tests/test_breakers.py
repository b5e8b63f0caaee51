"""BreakerBilling: a dead ERP is not waited on by every request; one probe finds out when it is back."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.core.errors import ErpBadResponse, ErpNotFound, ErpNotSent, ErpUnavailable
from adapters.resilience.breakers import GROUP_OF, GROUPS, BreakerBilling
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from tests.portal.doubles import ScriptedBilling


@pytest.fixture
def erp() -> ScriptedBilling:
    return ScriptedBilling(FakeBilling(DemoStore.load()))


@pytest.fixture
def guarded(erp) -> BreakerBilling:
    return BreakerBilling(erp, fail_max=3, reset_timeout=0.3)


def _fail_times(guarded, times, operation="list_invoices"):
    for _ in range(times):
        with pytest.raises(ErpUnavailable):
            getattr(guarded, operation)("K-1001")


def test_after_repeated_failures_calls_fail_fast_without_reaching_the_erp(erp, guarded):
    erp.fail("list_invoices", ErpUnavailable("list_invoices", "timed out"))
    _fail_times(guarded, 3)
    erp.calls.clear()
    started = time.monotonic()
    with pytest.raises(ErpNotSent, match="paused"):  # nothing left: a write refused here is still the customer's
        guarded.list_invoices("K-1001")
    assert erp.calls == [] and time.monotonic() - started < 0.5
    assert guarded.states()["invoices"] == "open"


def test_the_breaker_of_one_group_leaves_the_others_alone(erp, guarded):
    erp.fail("list_invoices", ErpUnavailable("list_invoices", "timed out"))
    _fail_times(guarded, 3)
    assert guarded.get_customer("K-1001").id == "K-1001"
    assert guarded.states()["customer"] == "closed"


def test_a_probe_after_the_pause_closes_the_circuit_when_the_erp_is_back(erp, guarded):
    erp.fail("list_invoices", ErpUnavailable("list_invoices", "timed out"))
    _fail_times(guarded, 3)
    erp.failures.clear()
    time.sleep(0.35)
    assert guarded.list_invoices("K-1001")
    assert guarded.states()["invoices"] == "closed"


def test_a_failed_probe_opens_the_circuit_again(erp, guarded):
    erp.fail("list_invoices", ErpUnavailable("list_invoices", "timed out"))
    _fail_times(guarded, 3)
    time.sleep(0.35)
    _fail_times(guarded, 1)
    assert guarded.states()["invoices"] == "open"


@pytest.mark.parametrize("answer", [ErpNotFound("get_invoice", "no such"), ErpBadResponse("get_invoice", "bad")])
def test_answers_that_are_not_unavailability_never_open_the_circuit(erp, guarded, answer):
    erp.fail("get_invoice", answer)
    for _ in range(5):
        with pytest.raises(type(answer)):
            guarded.get_invoice("K-1001", "X")
    assert guarded.states()["invoices"] == "closed"


def test_operations_that_fail_together_share_a_breaker():
    assert GROUPS == ("customer", "meters", "invoices", "settlements", "documents", "messages")
    assert GROUP_OF["set_einvoice_consent"] == GROUP_OF["get_contract_scan"] == "customer"
    assert GROUP_OF["send_message"] == "messages" and GROUP_OF["get_invoice_pdf"] == "invoices"


def test_calls_of_one_group_run_in_parallel():
    """The breaker guards its state, never the call: four readings at once all reach the ERP together."""
    meeting = threading.Barrier(4)

    class MeetingBilling(ScriptedBilling):
        def _call(self, operation, *args):
            meeting.wait(timeout=5)  # broken unless all four calls are inside the breaker at once
            return super()._call(operation, *args)

    guarded = BreakerBilling(MeetingBilling(FakeBilling(DemoStore.load())), fail_max=3, reset_timeout=30)
    meters = ["W-1001-1", "W-1001-2", "W-1001-3", "W-1001-2"]
    with ThreadPoolExecutor(len(meters)) as pool:
        answers = list(pool.map(lambda meter: guarded.list_readings("K-1001", meter), meters))
    assert all(answers) and not meeting.broken


def test_while_the_probe_is_out_the_other_calls_still_fail_fast(erp, guarded):
    erp.fail("list_invoices", ErpUnavailable("list_invoices", "timed out"))
    _fail_times(guarded, 3)
    time.sleep(0.35)
    erp.failures.clear()
    gate, entered = threading.Event(), threading.Event()
    real = erp.inner.list_invoices

    def held_probe(customer_id):
        entered.set()
        gate.wait(5)
        return real(customer_id)

    erp.inner.list_invoices = held_probe
    probe = threading.Thread(target=guarded.list_invoices, args=("K-1001",))
    probe.start()
    assert entered.wait(5)
    assert guarded.states()["invoices"] == "half-open"
    with pytest.raises(ErpUnavailable, match="paused"):
        guarded.list_invoices("K-1001")
    gate.set()
    probe.join(5)
    assert guarded.states()["invoices"] == "closed"
