"""`flask erp conformance`: the contract's invariants over the configured adapter, with the utility's customers."""

from __future__ import annotations

import pytest
import requests
import responses

from adapters.core.errors import ErpNotFound
from adapters.core.settings import ErpSettings
from adapters.rest.billing import RestBilling
from adapters.testing.conformance import FAIL, NOT_OFFERED, PASS, SKIPPED, summary
from adapters.testing.invariants import run_conformance
from fixtures.simulator.auth import DEMO
from fixtures.simulator.server import running_simulator
from gateway.app import create_app
from gateway.erp.billing import build_adapter
from tests.infra.databases import idle_database_url
from tests.kit.test_example_plugin import CLIENT, URL, bill, config

OWNER, STRANGER = "K-1001", "K-1002"
WRITES = ("submit_reading", "send_message", "set_einvoice_consent")


@pytest.fixture(scope="module")
def simulator():
    with running_simulator() as base_url:
        yield base_url


@pytest.fixture
def erp(simulator):
    """The simulator as loaded, its call counts zeroed, so a test sees only the calls it made."""
    requests.post(f"{simulator}/_sim/reset", timeout=5).raise_for_status()
    return simulator


def _calls(base_url):
    return requests.get(f"{base_url}/_sim/calls", timeout=5).json()["calls"]


def _conformance(tmp_path, adapter, url, *args):
    app = create_app({"PROFILE": "testing", "DATABASE_URL": idle_database_url(tmp_path), "ERP_ADAPTER": adapter,
                      "ERP_URL": url, **DEMO.portal_config()})
    return app.test_cli_runner().invoke(args=["erp", "conformance", "--customer", OWNER, "--customer", STRANGER,
                                              *args])


class CarelessBilling(RestBilling):
    """A broken adapter: invoices oldest first, and another customer's invoice answered as if it were one's own."""

    def list_invoices(self, customer_id):
        return super().list_invoices(customer_id)[::-1]

    def get_invoice(self, customer_id, invoice_id):
        try:
            return super().get_invoice(customer_id, invoice_id)
        except ErpNotFound:
            return super().get_invoice(OWNER, invoice_id)


@pytest.mark.parametrize("protocol, path", [("soap", "/soap"), ("rest", "/api/v1")])
def test_the_simulator_conforms_read_only(tmp_path, erp, protocol, path):
    result = _conformance(tmp_path, protocol, erp + path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for operation in ("get_customer", "list_readings", "list_invoices", "get_invoice", "get_invoice_pdf",
                      "get_contract_scan", "get_document", "list_messages"):
        assert f"pass         {operation}" in lines
    for operation in WRITES:
        assert f"skipped      {operation}" in lines
    assert lines[-1] == "every offered operation conforms"
    assert not set(WRITES) & set(_calls(erp)), "no write reaches the ERP without --writes"
    assert _calls(erp)["list_invoices"] >= 2


def test_writes_are_sent_twice_and_taken_once_when_asked_for(tmp_path, erp):
    result = _conformance(tmp_path, "rest", erp + "/api/v1", "--writes")
    assert result.exit_code == 0, result.output
    for operation in WRITES:
        assert f"pass         {operation}" in result.output.splitlines()
    calls = _calls(erp)
    assert (calls["submit_reading"], calls["send_message"], calls["set_einvoice_consent"]) == (3, 2, 2)
    settings = ErpSettings(url=erp + "/api/v1", connect_timeout=2, read_timeout=5, username=DEMO.username,
                           password=DEMO.password)
    taken = RestBilling(settings).list_messages(OWNER)
    assert [message.subject for message in taken].count("Test zgodności portalu") == 1


def test_a_broken_adapter_fails_naming_the_invariants(tmp_path, erp):
    result = _conformance(tmp_path, "tests.test_conformance:CarelessBilling", erp + "/api/v1")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "fail         list_invoices" in lines and "    failed: invoices newest first (K-1001: an older " \
        "invoice is listed before a newer one)" in lines
    assert "fail         get_invoice" in lines
    assert "    failed: another customer's invoice is ErpNotFound (K-1002: invoice INV-202306-00134 of another " \
        "customer was answered instead of ErpNotFound)" in lines
    assert "pass         get_settlements" in lines and "pass         list_readings" in lines
    assert "first: list_invoices: invoices newest first" in result.output


@responses.activate
def test_the_example_plugin_is_checked_on_what_it_offers():
    """AquaBill (tests/kit) offers a customer, invoices and their PDFs: the rest is reported as not offered."""
    tenant = "?tenant=wodociagi-1"
    responses.get(f"{URL}/clients/C-404{tenant}", status=404, json={"error": "no client"})
    for client, bills in (("C-1", ["B-1", "B-2"]), ("C-2", ["B-3"])):
        responses.get(f"{URL}/clients/{client}{tenant}", json={**CLIENT, "no": client})
        responses.get(f"{URL}/clients/{client}/bills{tenant}", json={"ids": bills})
    for number, client, issued in ((1, "C-1", "05.10.2026"), (2, "C-1", "05.11.2026"), (3, "C-2", "05.11.2026")):
        responses.get(f"{URL}/bills/B-{number}{tenant}", json=bill(number, client=client, issued=issued))
        responses.get(f"{URL}/bills/B-{number}/print{tenant}", body=b"%PDF-1.4 faktura",
                      content_type="application/pdf")
    findings = run_conformance(build_adapter(config()), ["C-1", "C-2"], unknown_customer="C-404")
    statuses = summary(findings)
    assert {name for name, status in statuses.items() if status == PASS} == {
        "get_customer", "list_invoices", "get_invoice_pdf"}
    assert {name for name, status in statuses.items() if status == NOT_OFFERED} == {
        "list_contracts", "get_contract_scan", "list_meters", "list_readings", "submit_reading", "get_invoice",
        "get_settlements", "list_documents", "get_document", "send_message", "list_messages", "set_einvoice_consent",
        "record_payment", "get_invoice_xml"}
    assert [f.invariant for f in findings if f.operation == "get_invoice_pdf" and f.status == PASS] == [
        "a PDF file with a safe name", "a PDF file with a safe name", "a PDF file with a safe name",
        "another customer's invoice is ErpNotFound"]
    assert not [finding for finding in findings if finding.status in (FAIL, SKIPPED)]
