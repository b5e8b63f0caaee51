"""BreakerBilling: a dead ERP is not waited on by every request; one probe finds out when it is back."""

from __future__ import annotations

import time

import pytest

from adapters.breakers import GROUPS, BreakerBilling
from adapters.errors import ErpBadResponse, ErpNotFound, ErpUnavailable
from adapters.fake import FakeBilling
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
    with pytest.raises(ErpUnavailable, match="paused"):
        guarded.list_invoices("K-1001")
    assert erp.calls == [] and time.monotonic() - started < 0.05
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


def test_every_operation_has_a_group():
    assert sum(len(operations) for operations in GROUPS.values()) == 15
