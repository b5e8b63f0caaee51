"""FaultPlan: each way the ERP can misbehave, applied to any finished response, for as many calls as planned."""

from __future__ import annotations

import io
import json
import time

import pytest
import requests
from flask import Flask, g, jsonify, send_file

from fixtures.simulator.faults import MODES, FaultPlan
from fixtures.simulator.server import running_app

BODY = {"customerId": "K-1001", "fullName": "Jan Kowalski"}
PDF = b"%PDF-1.4 tiny"


class Sleeps(list):
    """Stands in for time.sleep: remembers what it was asked to wait, waits for nothing."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def plan(sleeps):
    return FaultPlan(sleep=sleeps)


def tiny_erp(plan: FaultPlan) -> Flask:
    """Two ERP operations (one JSON, one file) and an endpoint that is no operation at all."""
    app = Flask(__name__)

    @app.get("/customer")
    def customer():
        g.erp_operation = "get_customer"
        return jsonify(BODY)

    @app.get("/pdf")
    def pdf():
        g.erp_operation = "get_invoice_pdf"
        return send_file(io.BytesIO(PDF), mimetype="application/pdf", download_name="f.pdf")

    @app.get("/health")
    def health():
        return "ok"

    app.after_request(lambda response: plan.apply(g.get("erp_operation"), response))
    return app


@pytest.fixture
def client(plan):
    return tiny_erp(plan).test_client()


def test_without_a_fault_the_reply_is_untouched(client):
    reply = client.get("/customer")
    assert reply.status_code == 200 and reply.json == BODY


@pytest.mark.parametrize("mode", ["latency", "timeout"])
def test_latency_and_timeout_wait_then_answer_normally(client, plan, sleeps, mode):
    plan.set("get_customer", mode, 2.5)
    reply = client.get("/customer")
    assert sleeps == [2.5] and reply.status_code == 200 and reply.json == BODY


@pytest.mark.parametrize(("mode", "status"), [("status_500", 500), ("status_503", 503)])
def test_server_errors_replace_the_reply(client, plan, mode, status):
    plan.set("get_customer", mode)
    reply = client.get("/customer")
    assert reply.status_code == status and reply.mimetype == "text/plain"
    assert (reply.headers.get("Retry-After") == "30") == (status == 503)


def test_malformed_cuts_the_body_short(client, plan):
    whole = client.get("/customer").data
    plan.set("get_customer", "malformed")
    reply = client.get("/customer")
    assert reply.status_code == 200 and reply.mimetype == "application/json"
    assert reply.data == whole[: len(whole) // 2]
    with pytest.raises(ValueError):
        json.loads(reply.data)
    assert int(reply.headers["Content-Length"]) == len(reply.data)


def test_html_200_answers_an_error_page_with_success_status(client, plan):
    plan.set("get_customer", "html_200")
    reply = client.get("/customer")
    assert reply.status_code == 200 and reply.mimetype == "text/html"
    assert b"<html>" in reply.data and "niedostępny" in reply.get_data(as_text=True)


def test_wrong_content_type_keeps_the_body(client, plan):
    plan.set("get_customer", "wrong_content_type")
    reply = client.get("/customer")
    assert reply.mimetype == "text/plain" and reply.json is None and json.loads(reply.data) == BODY


def test_drip_sends_one_byte_at_a_time(client, plan, sleeps):
    plan.set("get_customer", "drip", 20)
    reply = client.get("/customer")
    assert json.loads(reply.data) == BODY
    assert sleeps == [0.02] * (len(reply.data) - 1)


@pytest.mark.parametrize(("mode", "expected"), [
    ("malformed", PDF[: len(PDF) // 2]), ("drip", PDF), ("wrong_content_type", PDF),
])
def test_body_faults_work_on_file_replies_too(client, plan, mode, expected):
    plan.set("get_invoice_pdf", mode, 1)
    assert client.get("/pdf").data == expected


def test_a_counted_fault_hits_only_the_next_calls(client, plan):
    plan.set("get_customer", "status_503", count=2)
    assert [client.get("/customer").status_code for _ in range(3)] == [503, 503, 200]
    assert plan.planned() == {}


def test_the_wildcard_hits_every_operation_unless_one_has_its_own(client, plan):
    plan.set("*", "status_500")
    plan.set("get_invoice_pdf", "wrong_content_type")
    assert client.get("/customer").status_code == 500
    assert client.get("/pdf").mimetype == "text/plain"


def test_requests_that_are_no_erp_operation_are_left_alone(client, plan):
    plan.set("*", "status_500")
    assert client.get("/health").status_code == 200


def test_clearing_one_operation_keeps_the_others(plan):
    plan.set("get_customer", "status_500")
    plan.set("list_meters", "drip", 5)
    plan.clear("get_customer")
    assert list(plan.planned()) == ["list_meters"]
    plan.clear()
    assert plan.planned() == {}


@pytest.mark.parametrize(("operation", "mode", "value", "count"), [
    ("get_custmer", "status_500", 0, None), ("get_customer", "explode", 0, None),
    ("get_customer", "latency", -1, None), ("get_customer", "latency", 1, 0),
])
def test_typos_in_a_plan_are_refused(plan, operation, mode, value, count):
    with pytest.raises(ValueError):
        plan.set(operation, mode, value, count)


def test_every_mode_is_covered_here():
    assert set(MODES) == {"latency", "status_500", "status_503", "timeout", "malformed", "html_200",
                          "wrong_content_type", "drip"}


def test_drip_really_trickles_over_a_socket():
    plan = FaultPlan()
    plan.set("get_customer", "drip", 5)
    with running_app(tiny_erp(plan)) as url:
        started = time.monotonic()
        reply = requests.get(f"{url}/customer", timeout=5)
        elapsed = time.monotonic() - started
    assert reply.json() == BODY
    assert elapsed >= 0.005 * (len(reply.content) - 1) * 0.8
