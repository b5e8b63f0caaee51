"""The simulator's REST blueprint on its own: routes as openapi.yaml has them, JSON, errors, idempotency."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

import adapters
from adapters.core.operations import OPERATIONS
from adapters.rest.replies import safe_filename
from fixtures.simulator.app import create_simulator
from fixtures.simulator.auth import DEMO
from fixtures.simulator.faults import FaultPlan
from fixtures.simulator.rest_io import file_reply
from fixtures.simulator.store import DemoStore

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
PREFIX = "/api/v1"
API = f"{PREFIX}/customers"
WRITER = "K-1003"
PDF = "application/pdf"
CONTRACT = yaml.safe_load((Path(adapters.__file__).parent / "contract" / "openapi.yaml").read_text("utf-8"))
ROUTES = {
    op["operationId"]: (method.upper(), path)
    for path, item in CONTRACT["paths"].items()
    for method, op in item.items()
    if isinstance(op, dict) and "operationId" in op
}


@pytest.fixture(scope="module")
def store():
    return DemoStore.load(clock=lambda: NOW)


@pytest.fixture
def faults():
    return FaultPlan()


@pytest.fixture
def client(store, faults):
    store.reset()
    client = create_simulator(store=store, faults=faults).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = DEMO.header()
    return client


def _meter(client):
    meters = client.get(f"{API}/{WRITER}/meters").get_json()["meters"]
    return next(m for m in meters if m["status"] == "active")


def test_routes_are_exactly_the_contracts_paths(client):
    served = {
        (method, re.sub(r"<(\w+)>", lambda m: "{" + _camel(m.group(1)) + "}", rule.rule.removeprefix(PREFIX)))
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith(PREFIX + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served == set(ROUTES.values()) | {("GET", "/openapi.yaml")}  # the operations, and the contract itself


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_handler_names_its_port_operation(client, faults, operation):
    method, path = ROUTES[operation]
    faults.set(operation, "status_500")
    response = client.open(PREFIX + re.sub(r"\{\w+\}", "X-1", path), method=method, json={})
    assert response.status_code == 500


def test_json_replies_carry_money_and_dates_as_strings(client):
    invoice_id = client.get(f"{API}/K-1001/invoices").get_json()["invoices"][0]["invoiceId"]
    response = client.get(f"{API}/K-1001/invoices/{invoice_id}")
    assert response.content_type == "application/json"
    invoice = response.get_json()
    assert re.fullmatch(r"-?\d+\.\d+", invoice["grossAmount"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", invoice["issueDate"])


def test_unknown_customer_is_a_404_error_body(client):
    response = client.get(f"{API}/K-0000")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "NOT_FOUND"


def test_pdf_comes_with_its_type_and_name(client):
    invoice_id = client.get(f"{API}/K-1001/invoices").get_json()["invoices"][0]["invoiceId"]
    response = client.get(f"{API}/K-1001/invoices/{invoice_id}/pdf")
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")


def test_non_ascii_file_names_survive_the_trip(client):
    with client.application.test_request_context():
        reply = file_reply({"fileName": 'umowa "żółw".pdf', "contentType": PDF, "content": b"%PDF"})
    disposition = reply.headers["Content-Disposition"]
    assert disposition.isascii()
    assert safe_filename(disposition, "x.pdf") == "umowa _żółw_.pdf"


def test_repeated_request_gets_the_first_reply(client):
    meter = _meter(client)
    url = f"{API}/{WRITER}/meters/{meter['meterId']}/readings"
    last = client.get(url).get_json()["readings"][-1]
    body = {"readingDate": NOW.date().isoformat(), "value": f"{float(last['value']) + 2:.3f}"}
    first = client.post(url, json=body, headers={"Idempotency-Key": "api-key-2"})
    second = client.post(url, json=body, headers={"Idempotency-Key": "api-key-2"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json() == second.get_json()


def test_same_key_with_other_content_is_a_conflict(client):
    meter = _meter(client)
    url = f"{API}/{WRITER}/meters/{meter['meterId']}/readings"
    body = {"readingDate": NOW.date().isoformat(), "value": "99999.000"}
    assert client.post(url, json=body, headers={"Idempotency-Key": "api-key-3"}).status_code == 201
    conflict = client.post(url, json={**body, "value": "99999.500"}, headers={"Idempotency-Key": "api-key-3"})
    assert conflict.status_code == 409
    assert conflict.get_json()["error"]["code"] == "REJECTED"


def test_refused_reading_is_422_with_a_polish_reason(client):
    meter = _meter(client)
    url = f"{API}/{WRITER}/meters/{meter['meterId']}/readings"
    response = client.post(url, json={"readingDate": NOW.date().isoformat(), "value": "0.000"},
                           headers={"Idempotency-Key": "api-key-4"})
    assert response.status_code == 422
    assert "niższe" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "headers, body",
    [
        ({}, {"readingDate": "2026-11-27", "value": "1.000"}),
        ({"Idempotency-Key": "bad key with spaces"}, {"readingDate": "2026-11-27", "value": "1.000"}),
        ({"Idempotency-Key": "k1"}, {"readingDate": "2026-11-27", "value": 1.0}),
        ({"Idempotency-Key": "k1"}, ["not", "an", "object"]),
    ],
)
def test_malformed_writes_are_400(client, headers, body):
    meter = _meter(client)
    response = client.post(f"{API}/{WRITER}/meters/{meter['meterId']}/readings", json=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "INVALID"


def test_attachments_are_decoded_from_base64(client):
    body: dict[str, Any] = {
        "messageType": "inquiry", "subject": "Pytanie", "body": "Treść",
        "attachments": [{"fileName": "a.pdf", "contentType": "application/pdf",
                         "content": base64.b64encode(b"%PDF-1.4").decode()}],
    }
    url = f"{API}/{WRITER}/messages"
    assert client.post(url, json=body, headers={"Idempotency-Key": "m1"}).status_code == 201
    body["attachments"][0]["content"] = "not base64!"
    response = client.post(url, json=body, headers={"Idempotency-Key": "m2"})
    assert response.status_code == 400


def test_consent_must_be_a_real_boolean(client):
    url = f"{API}/{WRITER}/einvoice-consent"
    assert client.put(url, json={"enabled": "yes"}, headers={"Idempotency-Key": "c1"}).status_code == 400
    assert client.put(url, json={"enabled": True}, headers={"Idempotency-Key": "c1"}).status_code == 200
