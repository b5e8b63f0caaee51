"""The sweep over the real adapters: the SOAP and REST adapters reach the reference ERP over loopback HTTP, so
requests, urllib3 and zeep log what they log at DEBUG too; no log line or audit entry holds the demo customers'
personal data, on pages, a write delivered, or a write the ERP refuses in words that quote the customer."""

from __future__ import annotations

import json
import uuid
from typing import Any, Callable

import pytest

from gateway.outbox.runner import deliver_once
from tests.hostile.conftest import Portal
from tests.hostile.erp import JSON, PROTOCOLS, HostilePlan
from tests.personal_data import QUOTING_REASON, assert_nothing_personal, everything_logged, leaks
from tests.portal_fixtures import portal_day

# What is logged here comes from the adapters and the HTTP libraries; the portal's database is swept on both backends
# by tests/portal/test_no_personal_data_in_logs.py.
pytestmark = pytest.mark.sqlite_only(reason="about what the ERP's adapters log; the database is swept elsewhere")

PAGES = ("/", "/contracts/", "/meters/", "/readings/W-1001-2", "/invoices/", "/invoices/INV-202611-00117",
         "/invoices/INV-202611-00117/download", "/settlements/", "/downloads/", "/downloads/DOC-1001-1",
         "/messages/", "/settings/")


@pytest.fixture(scope="module")
def wired(module_portal: Callable[..., Portal]) -> dict[str, Portal]:
    """One portal per protocol for the module, kowalski (K-1001) signed in, the ERP on a loopback socket."""
    return {protocol: module_portal(protocol, socket=True, plan=HostilePlan()) for protocol in PROTOCOLS}


def send_reading(site: Portal, day: int) -> None:
    reading = {"reading_date": portal_day(site.app, day), "value": f"{221 + day},5",
               "note": "Jan Kowalski, ul. Klonowa 7", "idempotency_key": str(uuid.uuid4())}
    assert site.client.post("/readings/W-1001-2", data=reading).status_code == 302


def refusal(_original: bytes) -> tuple[Any, ...]:
    """The REST contract's refusal, in words that quote the customer."""
    return 422, JSON, json.dumps({"error": {"code": "REJECTED", "message": QUOTING_REASON}})


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pages_and_a_delivered_write_over_the_wire(wired, protocol, mailbox):
    site = wired[protocol]
    with everything_logged(site.app) as logged:
        assert {path: site.client.get(path).status_code for path in PAGES} == dict.fromkeys(PAGES, 200)
        send_reading(site, -2)
        assert deliver_once(site.app).delivered == 1
    assert any(line.startswith("DEBUG urllib3.connectionpool") for line in logged.lines), "no HTTP was logged"
    assert_nothing_personal(site.app, logged)


def test_a_refusal_quoting_the_customer_reaches_no_log_line(wired, mailbox):
    """Of a write (the outbox's refusal) and of a read (a contract's scan answered with a refusal: a 503 page)."""
    site = wired["rest"]
    site.plan.replace("submit_reading", refusal)
    site.plan.replace("get_contract_scan", refusal)
    try:
        with everything_logged(site.app) as logged:
            send_reading(site, -1)
            assert deliver_once(site.app).rejected == 1
            assert site.client.get("/contracts/U-1001-1/scan/download").status_code == 503
    finally:
        site.plan.clear()
    assert not leaks(logged.lines), "\n".join(leaks(logged.lines))
