"""`flask erp check` and `flask erp record`: what IT and testers run against an ERP."""

from __future__ import annotations

import json

import pytest
import requests
import responses

from adapters.testing.recording import load_exchanges
from fixtures.simulator.auth import DEMO
from fixtures.simulator.server import running_simulator
from fixtures.simulator.store import DemoStore
from gateway.app import create_app
from tests.infra.databases import idle_database_url


def _app(tmp_path, **config):
    return create_app({"PROFILE": "testing", "DATABASE_URL": idle_database_url(tmp_path), **config})


def _invoke(app, *args):
    return app.test_cli_runner().invoke(args=["erp", *args])


def test_check_lists_every_operation_and_passes_on_a_working_erp(tmp_path):
    result = _invoke(_app(tmp_path), "check", "--customer", "K-1001")
    assert result.exit_code == 0, result.output
    for operation in ("get_customer", "list_invoices", "get_invoice_pdf", "list_messages"):
        assert f"ok       {operation}" in result.output
    assert "skipped  submit_reading" in result.output
    assert "every operation answered" in result.output


def test_check_says_which_operations_an_erp_may_lack(tmp_path):
    lines = _invoke(_app(tmp_path), "check", "--customer", "K-1001").output.splitlines()
    need = {line.split()[1]: line.split()[2] for line in lines if line.startswith(("ok ", "failed ", "skipped "))}
    assert need["get_customer"] == need["get_settlements"] == need["get_invoice"] == "required"
    assert need["get_contract_scan"] == need["list_messages"] == need["submit_reading"] == "optional"


def test_check_lists_what_the_erp_does_not_offer_apart_and_passes_without_it(tmp_path):
    app = _app(tmp_path, ERP_NOT_OFFERED=["list_messages", "get_contract_scan", "send_message"])
    result = _invoke(app, "check", "--customer", "K-1001")
    assert result.exit_code == 0, result.output
    assert "not offered by this ERP (3): get_contract_scan, send_message, list_messages" in result.output
    assert not [line for line in result.output.splitlines() if line.split()[1:2] == ["list_messages"]]
    assert "ok       get_document" in result.output and "skipped  submit_reading" in result.output
    assert result.output.endswith("every offered operation answered\n")


@responses.activate
def test_check_fails_and_names_the_first_error_when_the_erp_is_down(tmp_path):
    responses.add(responses.GET, requests.compat.urljoin("http://erp.test/", "api/v1/customers/K-1001"), status=503)
    app = _app(tmp_path, ERP_ADAPTER="rest", ERP_URL="http://erp.test/api/v1")
    result = _invoke(app, "check", "--customer", "K-1001")
    assert result.exit_code == 1
    assert "failed   get_customer" in result.output
    assert "first: get_customer" in result.output
    assert "erp.test" not in result.output


def test_check_for_an_unknown_customer_says_not_found(tmp_path):
    result = _invoke(_app(tmp_path), "check", "--customer", "K-0000")
    assert result.exit_code == 1
    assert "failed   get_customer" in result.output


@pytest.mark.parametrize("protocol, path", [("soap", "/soap"), ("rest", "/api/v1")])
def test_record_captures_every_operation_without_personal_data(tmp_path, protocol, path):
    with running_simulator() as base_url:
        app = _app(tmp_path, ERP_ADAPTER=protocol, ERP_URL=base_url + path, **DEMO.portal_config())
        result = _invoke(app, "record", "--customer", "K-1001", "--customer", "K-1002",
                         "--write-customer", "K-1003", "--out", str(tmp_path / protocol))
    assert result.exit_code == 0, result.output
    exchanges = load_exchanges(tmp_path / protocol)
    assert {exchange.operation for exchange in exchanges} >= {
        "get_customer", "list_contracts", "get_contract_scan", "list_meters", "list_readings", "submit_reading",
        "list_invoices", "get_invoice", "get_invoice_pdf", "get_settlements", "list_documents", "get_document",
        "send_message", "list_messages", "set_einvoice_consent",
    }
    recorded = json.dumps([exchange.text for exchange in exchanges], ensure_ascii=False)
    customer = DemoStore.load().get_customer("K-1001")
    for personal in (customer["fullName"], customer["taxId"], customer["address"]["street"], customer["email"]):
        assert personal not in recorded
    assert base_url.split("//")[1] not in recorded
