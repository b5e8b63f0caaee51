"""The conformance check's invariants (adapters/testing/invariants.py, what `flask erp conformance` runs) over every
port of the contract suite: each holds for the demo's customers, and each write is taken once however often sent."""

from __future__ import annotations

from adapters.core.operations import OPERATIONS, WRITES
from adapters.testing.conformance import FAIL, PASS, SKIPPED, summary
from adapters.testing.invariants import run_conformance
from gateway.erp.record import UNKNOWN_CUSTOMER


def test_every_invariant_holds_for_the_demo_customers(port, kind):
    # The recordings hold only the recorded scenario's writes, with its own keys: replays check the reads.
    writes = not kind.endswith("-replay")
    findings = run_conformance(port, ["K-1001", "K-1002"], unknown_customer=UNKNOWN_CUSTOMER, writes=writes)
    assert [finding for finding in findings if finding.status == FAIL] == []
    assert summary(findings) == {name: SKIPPED if name in WRITES and not writes else PASS for name in OPERATIONS}
    assert len([finding for finding in findings if finding.status == PASS]) > 50
