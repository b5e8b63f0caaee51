"""The conformance check's invariants (adapters/testing/invariants.py, what `flask erp conformance` runs) over every
port of the contract suite: each holds for the demo's customers, and each write is taken once however often sent."""

from __future__ import annotations

import requests

from adapters.core.operations import OPERATIONS, WRITES
from adapters.core.settings import ErpSettings
from adapters.examples.sap_umc import SapUmcBilling
from adapters.testing.conformance import FAIL, NOT_OFFERED, PASS, SKIPPED, summary
from adapters.testing.invariants import run_conformance
from gateway.erp.record import UNKNOWN_CUSTOMER
from tests.mapping.conftest import UMC_PASSWORD, UMC_USER, control_url
from tests.nav.simulator import nav_port, nav_url

__all__ = ["nav_url"]  # the NAV simulator's fixture, shared with tests/nav


def test_every_invariant_holds_for_the_demo_customers(port, kind):
    # The recordings hold only the recorded scenario's writes, with its own keys: replays check the reads.
    writes = not kind.endswith("-replay")
    findings = run_conformance(port, ["K-1001", "K-1002"], unknown_customer=UNKNOWN_CUSTOMER, writes=writes)
    assert [finding for finding in findings if finding.status == FAIL] == []
    assert summary(findings) == {name: SKIPPED if name in WRITES and not writes else PASS for name in OPERATIONS}
    assert len([finding for finding in findings if finding.status == PASS]) > 50


# The Dynamics NAV example plugin (adapters/examples/nav) over its simulator: what NAV pages hold conforms, and
# what they do not hold is reported as not offered.
NAV_OFFERED = {"get_customer", "list_contracts", "list_invoices", "get_invoice", "get_settlements"}


def test_every_invariant_holds_for_the_dynamics_nav_plugin(nav_url):
    # Two of the demo's short ledgers: each invoice read reads its customer's whole journal batch.
    findings = run_conformance(nav_port(nav_url), ["K-1003", "K-1006"], unknown_customer=UNKNOWN_CUSTOMER)
    assert [finding for finding in findings if finding.status == FAIL] == []
    assert summary(findings) == {name: PASS if name in NAV_OFFERED else NOT_OFFERED for name in OPERATIONS}


def test_every_invariant_holds_over_the_sap_umc_mapping(sap_umc_url):
    """The SAP UMC example (a mapping file, issue 13) held to the same invariants, writes included; what UMC does
    not have is reported as not offered."""
    port = SapUmcBilling(ErpSettings(url=sap_umc_url, username=UMC_USER, password=UMC_PASSWORD, deadline=10))
    try:
        findings = run_conformance(port, ["K-1001", "K-1002"], unknown_customer=UNKNOWN_CUSTOMER, writes=True)
    finally:
        requests.post(control_url(sap_umc_url, "reset"), timeout=5).raise_for_status()
    assert [finding for finding in findings if finding.status == FAIL] == []
    offered = port.offered_operations
    assert summary(findings) == {name: PASS if name in offered else NOT_OFFERED for name in OPERATIONS}
