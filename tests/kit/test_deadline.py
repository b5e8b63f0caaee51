"""One deadline per port operation: every exchange inside gets what is left of it, and none starts without time."""

from __future__ import annotations

import time

import pytest
import responses

from adapters.kit import ErpHttp, ErpSettings, ErpUnavailable, operation_deadline, seconds_left
from tests.test_http import sent_with

URL = "https://erp.test/x"


def test_a_scope_inside_another_never_extends_it():
    with operation_deadline(1.0) as outer:
        with operation_deadline(60.0) as inner:
            assert inner == outer
            assert 0.9 < (seconds_left() or 0) <= 1.0
    assert seconds_left() is None


@responses.activate
def test_each_exchange_waits_no_longer_than_the_operation_has_left():
    responses.get(URL, body=b"{}")
    http = ErpHttp(ErpSettings(url="https://erp.test", connect_timeout=3.05, read_timeout=10.0, deadline=15.0))
    with operation_deadline(2.0):
        http.send("op", "GET", URL, idempotent=True)
    connect, read = sent_with(responses.calls[0].request)["timeout"]
    assert 1.5 < connect <= 2.0 and 1.5 < read <= 2.0


@responses.activate
def test_no_time_left_is_unavailable_without_a_call():
    responses.get(URL, body=b"{}")
    http = ErpHttp(ErpSettings(url="https://erp.test"))
    with operation_deadline(0.05), pytest.raises(ErpUnavailable, match="no time left"):
        time.sleep(0.06)
        http.send("op", "GET", URL, idempotent=True)
    assert len(responses.calls) == 0


@responses.activate
def test_outside_an_operation_each_exchange_has_the_whole_deadline():
    responses.get(URL, body=b"{}")
    http = ErpHttp(ErpSettings(url="https://erp.test", read_timeout=10.0, deadline=4.0))
    http.send("op", "GET", URL, idempotent=True)
    connect, read = sent_with(responses.calls[0].request)["timeout"]
    assert 3.5 < read <= 4.0
