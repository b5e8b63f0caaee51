"""The simulator app: faults reach ERP operations through the hook, /_sim/ controls it, a real socket serves it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests
from flask import Blueprint, current_app, g, jsonify

from fixtures.simulator.app import create_simulator
from fixtures.simulator.faults import FaultPlan
from fixtures.simulator.server import running_simulator
from fixtures.simulator.store import DemoStore

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
probe = Blueprint("probe", __name__)


@probe.get("/probe/<customer_id>")
def customer(customer_id: str):
    """Stands in for a protocol handler: names its operation and answers from the store."""
    g.erp_operation = "get_customer"
    return jsonify(current_app.extensions["erp_store"].get_customer(customer_id))


@pytest.fixture(scope="module")
def store():
    return DemoStore.load(clock=lambda: NOW)


@pytest.fixture
def app(store):
    store.reset()
    app = create_simulator(store=store, faults=FaultPlan(sleep=lambda _: None))
    app.register_blueprint(probe)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def test_the_app_holds_the_store_and_the_fault_plan(app, store):
    assert app.extensions["erp_store"] is store
    assert isinstance(app.extensions["erp_faults"], FaultPlan)


def test_health_lists_customers_and_served_protocols(client, app):
    reply = client.get("/_sim/health")
    assert reply.status_code == 200
    assert reply.json["status"] == "ok" and "K-1005" in reply.json["customers"]
    assert reply.json["protocols"] == list(app.extensions["erp_protocols"])


def test_a_planned_fault_reaches_the_named_operation(client):
    planned = client.post("/_sim/faults", json={"operation": "get_customer", "mode": "status_503", "count": 1})
    assert planned.status_code == 201 and planned.json["count"] == 1
    assert client.get("/probe/K-1001").status_code == 503
    assert client.get("/probe/K-1001").status_code == 200


def test_control_endpoints_are_never_faulted(client):
    client.post("/_sim/faults", json={"operation": "*", "mode": "status_500"})
    assert client.get("/_sim/health").status_code == 200
    assert client.get("/_sim/faults").json["faults"]["*"]["mode"] == "status_500"


@pytest.mark.parametrize("body", [
    {"operation": "get_customer", "mode": "explode"}, {"operation": "nope", "mode": "status_500"},
    {"operation": "get_customer", "mode": "latency", "value": "soon"}, ["not", "an", "object"],
])
def test_a_bad_fault_request_is_400(client, body):
    assert client.post("/_sim/faults", json=body).status_code == 400


def test_delete_clears_faults(client):
    client.post("/_sim/faults", json={"operation": "get_customer", "mode": "status_500"})
    assert client.delete("/_sim/faults").status_code == 204
    assert client.get("/probe/K-1001").status_code == 200


def test_reset_restores_data_and_forgets_faults_and_replays(client, app, store):
    store.set_einvoice_consent("K-1001", True, "key")
    app.extensions["erp_rest_replays"] = object()
    client.post("/_sim/faults", json={"operation": "get_customer", "mode": "status_500"})
    assert client.post("/_sim/reset").status_code == 204
    assert not any(c["eInvoiceConsent"] for c in store.list_contracts("K-1001")["contracts"])
    assert "erp_rest_replays" not in app.extensions
    assert client.get("/probe/K-1001").status_code == 200


def test_calls_are_counted_per_operation_until_cleared(client):
    assert client.get("/_sim/calls").json == {"calls": {}}
    client.get("/probe/K-1001")
    client.get("/probe/K-1002")
    client.get("/_sim/health")
    assert client.get("/_sim/calls").json == {"calls": {"get_customer": 2}}, "control endpoints are not ERP calls"
    assert client.delete("/_sim/calls").status_code == 204
    assert client.get("/_sim/calls").json == {"calls": {}}


def test_reset_forgets_call_counts(client):
    client.get("/probe/K-1001")
    client.post("/_sim/reset")
    assert client.get("/_sim/calls").json == {"calls": {}}


def test_running_simulator_serves_on_loopback_and_stops(store):
    with running_simulator(store=store) as url:
        assert url.startswith("http://127.0.0.1:")
        assert requests.get(f"{url}/_sim/health", timeout=5).json()["status"] == "ok"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/_sim/health", timeout=1)
