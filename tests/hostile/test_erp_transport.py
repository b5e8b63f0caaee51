"""An ERP that is slow, huge, gone or failing, on a real loopback socket where time matters: a 50 MB reply
(with and without a declared length), a slow drip, an answer that never comes, a refused connection, and a
run of 5xx replies that opens the breaker. Every page answers within ERP_DEADLINE and a margin (the limits
are shortened in conftest.ERP_LIMITS), as a Polish page, and the portal recovers once the ERP does."""

from __future__ import annotations

import logging
import socket

import pytest
from werkzeug.wrappers import Response

from fixtures.simulator.server import running_simulator
from fixtures.simulator.store import DemoStore
from tests.hostile.checks import assert_safe, timed
from tests.hostile.conftest import ERP_LIMITS
from tests.hostile.erp import JSON, PROTOCOLS, SOAP_XML, HostilePlan, erp_url

pytestmark = pytest.mark.sqlite_only(reason="the ERP's transport; the portal's database plays no part")

FIFTY_MB = 50 * 1024 * 1024
# The ERP's own bound plus what the rest of the page may take.
SLOW_LIMIT = ERP_LIMITS["ERP_DEADLINE"] + 1.5
UNAVAILABLE = "Państwa dane – nie można teraz wyświetlić"
# A reply too large does not fit the contract: the utility's fault, not a passing one.
DOES_NOT_FIT = "Państwa dane – nie można wyświetlić z powodu błędu po stronie systemu rozliczeniowego"


def huge_reply(protocol: str, declared: bool):
    """A reply that starts like the real one and then runs to 50 MB, streamed so nobody holds it whole."""
    start = b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' \
        if protocol == "soap" else b'{"customerId": "K-1001", "fullName": "'
    chunk = b"A" * 65536

    def stream():
        yield start
        for _ in range((FIFTY_MB - len(start)) // len(chunk)):
            yield chunk

    def spoil(_original: bytes) -> Response:
        headers = {"Content-Length": str(len(start) + (FIFTY_MB - len(start)) // len(chunk) * len(chunk))} \
            if declared else {}
        return Response(stream(), status=200, content_type=SOAP_XML if protocol == "soap" else JSON, headers=headers)

    return spoil


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def simulator_on_socket():
    """One simulator on loopback for the module; each test gets a fresh portal and a cleared plan."""
    plan = HostilePlan()
    with running_simulator(DemoStore.load(), plan) as base:
        yield base, plan


@pytest.fixture
def on_socket(portal, simulator_on_socket):
    base, plan = simulator_on_socket
    yield lambda protocol, **options: portal(protocol, url=erp_url(protocol, base), plan=plan, **options)
    plan.clear()


def check_slow(erp, logs, because: str, url: str = "/", expected: str = "Jan Kowalski",
               shown: str = UNAVAILABLE) -> None:
    """Bounded, refused for the reason given, logged; the ERP's address never shown; fine again once the
    ERP is."""
    result = timed(erp.client.get, url)
    assert_safe(result, logs, limit=SLOW_LIMIT, log_level=logging.WARNING, statuses=(200, 503),
                never=(erp.app.config["ERP_URL"].split("/")[2],))
    assert because in logs.text()
    assert shown in result.page or result.response.status_code == 503
    erp.plan.clear()
    assert expected in erp.client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("declared", [True, False], ids=["declared length", "streamed"])
def test_a_50_mb_reply_is_refused_by_the_size_cap(on_socket, logs, protocol, declared):
    erp = on_socket(protocol)
    erp.plan.replace("get_customer", huge_reply(protocol, declared))
    check_slow(erp, logs, because="larger than 20971520 bytes", shown=DOES_NOT_FIT)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_slow_drip_is_cut_off_at_the_deadline(on_socket, logs, protocol):
    erp = on_socket(protocol)
    erp.plan.set("get_customer", "drip", 20)
    check_slow(erp, logs, because="deadline")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_dripping_file_download_is_cut_off_at_the_deadline(on_socket, logs, protocol):
    erp = on_socket(protocol)
    erp.plan.set("get_invoice_pdf", "drip", 5)
    result = timed(erp.client.get, "/invoices/INV-202611-00117/download")
    assert_safe(result, logs, limit=SLOW_LIMIT, log_level=logging.WARNING, statuses=(503,))
    assert "deadline" in logs.text()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_an_answer_that_never_comes_times_out(on_socket, logs, protocol):
    erp = on_socket(protocol)
    erp.plan.set("get_customer", "timeout", 5)
    check_slow(erp, logs, because="timed out")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_refused_connection_is_a_polish_page(portal, logs, protocol):
    erp = portal(protocol, url=f"http://127.0.0.1:{closed_port()}/erp")
    for url, status in (("/", 200), ("/invoices/", 503)):
        result = timed(erp.client.get, url)
        assert_safe(result, logs, limit=SLOW_LIMIT, log_level=logging.WARNING, statuses=(status,),
                    never=(erp.app.config["ERP_URL"].split("/")[2],))
    assert "connection refused" in logs.text()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_run_of_5xx_opens_the_breaker_and_pages_then_answer_at_once(portal, logs, protocol):
    erp = portal(protocol)
    erp.plan.set("list_invoices", "status_503" if protocol == "rest" else "status_500")
    for _ in range(erp.app.config["BREAKER_FAIL_MAX"]):
        assert erp.client.get("/invoices/").status_code == 503
    assert erp.client.get("/readyz").json["erp_breakers"]["invoices"] == "open"
    asked = erp.erp_requests()
    result = timed(erp.client.get, "/invoices/")
    assert_safe(result, logs, limit=0.5, log_level=logging.WARNING, statuses=(503,))
    assert result.response.headers["Retry-After"] == "60" and "calls are paused" in logs.text()
    assert erp.erp_requests() == asked, "an open breaker still let a call through"
    ready = erp.client.get("/readyz")
    assert ready.status_code == 200 and ready.json["erp_breakers"]["customer"] == "closed"
    assert erp.client.get("/").status_code == 200


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_with_the_breaker_open_the_last_good_answer_is_served_marked_stale(portal, logs, protocol):
    erp = portal(protocol, CACHE_TTL_SECONDS={"list_invoices": 0})
    assert "FV/00117/11/2026" in erp.client.get("/invoices/").get_data(as_text=True)
    erp.plan.set("list_invoices", "status_503")
    for _ in range(erp.app.config["BREAKER_FAIL_MAX"]):
        assert erp.client.get("/invoices/").status_code == 200
    assert erp.client.get("/readyz").json["erp_breakers"]["invoices"] == "open"
    result = timed(erp.client.get, "/invoices/")
    assert_safe(result, logs, limit=0.5, statuses=(200,))
    assert "FV/00117/11/2026" in result.page and 'class="notice notice-error data-age"' in result.page
