"""Replies a misbehaving ERP sends, over both protocols through the real adapters, breakers and cache:
truncated bodies, invalid JSON, an HTML error page with status 200, a wrong content type, missing or
ill-typed fields, numbers built to exhaust the formatter, the ERP's own stack trace in an error reply.
Each becomes a Polish page (never a 500): 502, a fault on the utility's side, for a reply that does not fit
the contract, and 503, try again later, for the ERP's own failure; it names nothing of the ERP, is logged under
the request's correlation id, and leaves nothing in the cache: once the ERP answers properly the real list shows."""

from __future__ import annotations

import json
import logging
import re

import pytest

from tests.hostile.checks import assert_safe, timed
from tests.hostile.erp import ERP_HOST, JSON, PROTOCOLS, SOAP_XML

pytestmark = pytest.mark.sqlite_only(reason="replies that do not fit; the portal's database plays no part")

URL, FIRST_NUMBER = "/invoices/", "FV/00117/11/2026"
ERP_TRACE = (f'Traceback (most recent call last):\n  File "/opt/erp/billing.py", line 7, in list\n'
             f"psycopg.OperationalError: could not connect to {ERP_HOST}:5432 <script>alert(1)</script>")


def rest_json(change):
    """The real REST reply with `change` applied to its payload."""

    def spoil(original: bytes) -> tuple[int, str, bytes]:
        payload = json.loads(original)
        change(payload)
        return 200, JSON, json.dumps(payload).encode()

    return spoil


def soap_text(pattern: str, replacement: str):
    """The real SOAP reply with the first match of `pattern` replaced."""

    def spoil(original: bytes) -> tuple[int, str, bytes]:
        return 200, SOAP_XML, re.sub(pattern.encode(), replacement.encode(), original, count=1)

    return spoil


def invoice(change):
    """The REST reply of list_invoices with `change` applied to the first invoice."""
    return rest_json(lambda payload: change(payload["invoices"][0]))


def readings_from_year_1_to_9999(payload: dict) -> None:
    payload["readings"][0]["readingDate"] = "0001-01-01"
    payload["readings"][-1]["readingDate"] = "9999-12-31"


def fixed(status: int, content_type: str, body: bytes | str):
    data = body.encode() if isinstance(body, str) else body
    return lambda _original: (status, content_type, data)


SPOILERS = {
    ("rest", "missing required field"): invoice(lambda item: item.pop("grossAmount")),
    ("soap", "missing required field"): soap_text(r"<erp:grossAmount>[^<]*</erp:grossAmount>", ""),
    ("rest", "ill-typed field"): invoice(lambda item: item.update(grossAmount={"$gt": ""})),
    ("soap", "ill-typed field"): soap_text(r"<erp:issueDate>[^<]*<", "<erp:issueDate>yesterday<"),
    ("rest", "number with a huge exponent"): invoice(lambda item: item.update(grossAmount="1e999999999")),
    ("soap", "number with a huge exponent"): soap_text(r"<erp:grossAmount>[^<]*<", "<erp:grossAmount>1e999999999<"),
    ("rest", "number with a huge negative exponent"): invoice(
        lambda item: item.update(netAmount="1e-999999999")),
    ("soap", "number with a huge negative exponent"): soap_text(
        r"<erp:netAmount>[^<]*<", "<erp:netAmount>1e-999999999<"),
    ("rest", "number with 5,000 digits"): invoice(lambda item: item.update(vatAmount="9" * 5000)),
    ("soap", "number with 5,000 digits"): soap_text(r"<erp:vatAmount>[^<]*<", f"<erp:vatAmount>{'9' * 5000}<"),
    ("rest", "a 20 MB string"): invoice(lambda item: item.update(invoiceNumber="A" * 20_000_000)),
    ("rest", "NaN"): invoice(lambda item: item.update(grossAmount="NaN")),
    ("soap", "NaN"): soap_text(r"<erp:grossAmount>[^<]*<", "<erp:grossAmount>NaN<"),
    ("rest", "a list where an object belongs"): fixed(200, JSON, '{"invoices": {"invoiceId": "x"}}'),
    ("soap", "another operation's reply"): soap_text(r"ListInvoicesResponse", "GetCustomerResponse"),
    ("rest", "invalid JSON"): fixed(200, JSON, '{"invoices": [{"invoiceId": "INV-1", "grossAmount": 1.0,'),
    ("rest", "JSON nested 100,000 deep"): fixed(200, JSON, "[" * 100_000 + "]" * 100_000),
    ("rest", "JSON bare constant"): fixed(200, JSON, '{"invoices": [{"grossAmount": Infinity}]}'),
    ("rest", "JSON integer of 100,000 digits"): fixed(200, JSON, '{"invoices": [{"grossAmount": ' + "9" * 100_000
                                                      + "}]}"),
    ("rest", "the ERP's stack trace in a 500"): fixed(500, "text/plain", ERP_TRACE),
    ("soap", "the ERP's stack trace in a fault"): fixed(500, SOAP_XML, (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
        "<faultcode>soap:Server</faultcode><faultstring><![CDATA[" + ERP_TRACE + "]]></faultstring>"
        "</soap:Fault></soap:Body></soap:Envelope>")),
    ("soap", "a client fault whose reason carries markup and the host"): fixed(500, SOAP_XML, (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
        "<faultcode>soap:Client</faultcode><faultstring><![CDATA[" + ERP_TRACE + "]]></faultstring>"
        '<detail><ErpFault xmlns="urn:ibok:erp:v1"><code>INVALID</code><message><![CDATA[' + ERP_TRACE
        + "]]></message></ErpFault></detail></soap:Fault></soap:Body></soap:Envelope>")),
}
# Replies of other operations, shown on other pages: (operation, page, what the page shows once all is well).
PAGES = {
    "list_documents": ("/downloads/", "Protokół wymiany wodomierza"),
    "list_messages": ("/messages/", "Zużycie na działce poza sezonem"),
    "list_readings": ("/readings/W-1001-2", "214,209"),
}
ELSEWHERE = {
    ("rest", "a file size of 4,000 digits"): ("list_documents", rest_json(
        lambda payload: payload["documents"][0].update(sizeBytes=10**3999))),
    ("soap", "a file size of 4,000 digits"): ("list_documents", soap_text(
        r"<erp:sizeBytes>[^<]*<", f"<erp:sizeBytes>{'9' * 4000}<")),
    ("rest", "a message sent in the year 9999"): ("list_messages", rest_json(
        lambda payload: payload["messages"][0].update(sentAt="9999-12-31T23:59:59-12:00"))),
    ("soap", "a message sent in the year 9999"): ("list_messages", soap_text(
        r"<erp:sentAt>[^<]*<", "<erp:sentAt>9999-12-31T23:59:59-12:00<")),
    ("rest", "readings from year 1 to 9999"): ("list_readings", rest_json(readings_from_year_1_to_9999)),
}
MODES = ("malformed", "html_200", "wrong_content_type")
# The ERP failing by itself (a 5xx) rather than answering what does not fit: it may pass, so "try again later".
ERP_FAILURES = {("rest", "the ERP's stack trace in a 500"), ("soap", "the ERP's stack trace in a fault")}
# Read whole, its field is too long (502); on a busy machine the deadline may cut the reading short first (503).
EITHER = {("rest", "a 20 MB string")}
DOES_NOT_FIT = "Wystąpił błąd po stronie systemu rozliczeniowego SWiK — zgłosiliśmy go."


def assert_nothing_kept(erp) -> None:
    """The ERP down: the list cannot be shown (no hostile answer was kept); back up: the real list."""
    erp.plan.clear()
    erp.plan.set("*", "status_503")
    down = erp.client.get(URL)
    assert down.status_code == 503 and "psycopg" not in down.get_data(as_text=True)
    erp.plan.clear()
    page = erp.client.get(URL).get_data(as_text=True)
    assert FIRST_NUMBER in page


def check(erp, logs, statuses: tuple[int, ...] = (502,)) -> None:
    result = timed(erp.client.get, URL)
    assert_safe(result, logs, limit=3.0, log_level=logging.WARNING, statuses=statuses,
                never=("psycopg", "/opt/erp", "<script>alert(1)", "1E+999999999", "9" * 100, "A" * 100))
    if result.response.status_code == 503:
        assert "System rozliczeń jest w tej chwili niedostępny" in result.page
        assert result.response.headers["Retry-After"] == "60"
        assert "ERP error shown as 503: list_invoices" in logs.text(), "refused for another reason than the reply"
    else:
        assert DOES_NOT_FIT in result.page and "kilka minut" not in result.page
        assert "Retry-After" not in result.response.headers
        assert "ERP reply does not fit the contract: operation list_invoices" in logs.text()
    assert_nothing_kept(erp)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("mode", MODES)
def test_a_spoilt_reply_from_the_simulator_is_a_polish_502(portal, logs, protocol, mode):
    erp = portal(protocol)
    erp.plan.set("list_invoices", mode)
    check(erp, logs)


@pytest.mark.parametrize(("protocol", "case"), sorted(SPOILERS), ids=[f"{p}: {c}" for p, c in sorted(SPOILERS)])
def test_a_hostile_reply_is_a_polish_502_or_503(portal, logs, protocol, case):
    erp = portal(protocol)
    erp.plan.replace("list_invoices", SPOILERS[(protocol, case)])
    expected = (503,) if (protocol, case) in ERP_FAILURES else (502, 503) if (protocol, case) in EITHER else (502,)
    check(erp, logs, expected)


@pytest.mark.parametrize(("protocol", "case"), sorted(ELSEWHERE), ids=[f"{p}: {c}" for p, c in sorted(ELSEWHERE)])
def test_values_out_of_any_real_range_break_no_page(portal, logs, protocol, case):
    operation, spoil = ELSEWHERE[(protocol, case)]
    url, expected = PAGES[operation]
    erp = portal(protocol)
    erp.plan.replace(operation, spoil)
    result = timed(erp.client.get, url)
    assert_safe(result, logs, limit=3.0, log_level=logging.WARNING, statuses=(200, 502, 503))
    erp.plan.clear()
    assert expected in erp.client.get(url).get_data(as_text=True), "the refused reply was kept"
