"""Markup and template syntax in the ERP's data (names, addresses, invoice lines, messages, titles, numbers),
carried over both protocols by the real adapters: every page shows it as text, escaped, never as markup and
never evaluated ({{7*7}} stays {{7*7}}); a CSV cell never becomes a formula; a file name never splits a
header. The simulator serves a dataset whose K-1001 holds the payloads."""

from __future__ import annotations

import logging
import re
import uuid
from urllib.parse import quote

import pytest
from markupsafe import escape
from werkzeug.http import parse_options_header

from adapters.core.errors import ErpRejected
from tests.hostile.checks import assert_safe, timed
from tests.hostile.erp import PROTOCOLS, hostile_store
from tests.portal_fixtures import portal_day

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SSTI = "{{7*7}}"
LONG = f"Jan {SCRIPT} {IMG} {SSTI} Kowalski"  # fields of up to 500 characters
SHORT = f"{SCRIPT}{SSTI}"  # fields of up to 64 characters
SHORT_IMG = f"N{IMG}"
FORMULA = '=HYPERLINK("http://evil.example","x")'
INVOICE, METER, MESSAGE = "INV-202611-00117", "W-1001-2", "MSG-1001-3"


def plant(entry: dict) -> None:
    """Every kind of text the pages show, for K-1001."""
    customer = entry["customer"]
    customer["fullName"] = LONG
    customer["address"]["street"] = LONG
    customer["premises"][0]["address"]["street"] = LONG
    invoice = next(item for item in entry["invoices"] if item["invoiceId"] == INVOICE)
    invoice["lines"][0]["description"] = LONG
    invoice["invoiceNumber"] = SHORT
    meter = next(item for item in entry["meters"] if item["meterId"] == METER)
    meter.update(userName=LONG, tariff=SHORT, serialNumber=SHORT_IMG)
    message = next(item for item in entry["messages"] if item["messageId"] == MESSAGE)
    message.update(subject=LONG, body=LONG, attachmentNames=[LONG])
    entry["documents"][0]["title"] = LONG + "\r\nSet-Cookie: planted=1"
    entry["contracts"][-1]["tariffGroup"] = SHORT
    entry["settlements"]["entries"][0]["documentNumber"] = FORMULA


# Page → the payloads it must show escaped.
PAGES = {
    "/": (LONG,),
    "/contracts/": (SHORT,),
    "/meters/": (SHORT_IMG,),
    f"/meters/{METER}": (LONG, SHORT, SHORT_IMG),
    f"/readings/{METER}": (SHORT_IMG,),
    "/invoices/": (SHORT,),
    f"/invoices/{INVOICE}": (LONG, SHORT),
    f"/messages/{MESSAGE}": (LONG,),
    "/messages/": (LONG,),
    f"/messages/new?invoice={INVOICE}": (SHORT, LONG),
    "/downloads/": (LONG,),
    "/settlements/": (FORMULA,),
}


@pytest.fixture(scope="module")
def portals(module_portal):
    return {protocol: module_portal(protocol, store=hostile_store(plant)) for protocol in PROTOCOLS}


@pytest.fixture(params=PROTOCOLS)
def erp(request, portals):
    """One portal per protocol for the module, whose replies each test may change for its own run."""
    portal = portals[request.param]
    yield portal
    portal.plan.clear()


@pytest.mark.parametrize("url", PAGES)
def test_markup_and_template_syntax_from_the_erp_are_shown_as_text(erp, logs, url):
    result = timed(erp.client.get, url)
    assert_safe(result, logs, statuses=(200,), never=("<script>alert", "<img src=x"))
    assert "planted" not in str(result.response.headers)
    for payload in PAGES[url]:
        assert str(escape(payload)) in result.page, f"{url} does not show {payload!r} escaped"
        if SSTI in payload:
            assert str(escape(payload.replace(SSTI, "49"))) not in result.page, f"{url} evaluated {SSTI}"


HEADER_SPLIT = "../../x\r\nSet-Cookie: planted=1; Path=/\r\n\r\n<script>alert(1)</script>.pdf"


def split_file_name(protocol: str):
    """The document's file name as the ERP offers it, with a line break and a header after it."""
    if protocol == "soap":
        name = HEADER_SPLIT.replace("\r", "&#13;").replace("\n", "&#10;").replace("<", "&lt;")
        return lambda original: (200, "text/xml; charset=utf-8", re.sub(
            rb"<erp:fileName>[^<]*</erp:fileName>", f"<erp:fileName>{name}</erp:fileName>".encode(), original))
    encoded = quote(HEADER_SPLIT, safe="")
    return lambda original: (200, "application/pdf", original, {
        "Content-Disposition": f"attachment; filename*=UTF-8''{encoded}"})


def test_a_file_name_with_line_breaks_cannot_split_the_download_header(erp, logs):
    erp.plan.replace("get_document", split_file_name(erp.protocol))
    result = timed(erp.client.get, "/downloads/DOC-1001-1")
    assert_safe(result, logs, statuses=(200,))
    headers = result.response.headers
    assert all("\r" not in value and "\n" not in value for _name, value in headers.items())
    assert not [value for value in headers.getlist("Set-Cookie") if "planted" in value]
    kind, options = parse_options_header(headers["Content-Disposition"])
    assert kind == "attachment" and "/" not in options["filename"] and ".." not in options["filename"].split("/")


def test_a_csv_cell_from_the_erp_never_becomes_a_formula(erp, logs):
    result = timed(erp.client.get, "/settlements/export.csv")
    assert_safe(result, logs, statuses=(200,))
    cells = result.page.replace('"', "").split(";")
    assert "'" + FORMULA.replace('"', "") in cells and FORMULA.replace('"', "") not in cells


def test_a_meter_serial_with_markup_is_only_a_quoted_download_name(erp, logs):
    """A download is never rendered: an attachment, its type fixed, its name one quoted header parameter."""
    result = timed(erp.client.get, f"/readings/{METER}/readings.csv")
    assert_safe(result, logs, statuses=(200,))
    response = result.response
    assert response.mimetype == "text/csv" and response.headers["X-Content-Type-Options"] == "nosniff"
    kind, options = parse_options_header(response.headers["Content-Disposition"])
    assert (kind, options["filename"]) == ("attachment", f"odczyty-{SHORT_IMG}.csv")


@pytest.mark.parametrize(("url", "operation", "data"), [
    ("/readings/W-1001-2", "submit_reading", {"value": "220,5"}),
    ("/messages/new", "send_message", {"kind": "complaint", "subject": "Temat", "body": "Treść"}),
])
def test_the_erps_reason_for_refusing_a_write_is_shown_as_text(kowalski, billing, deliver, logs, url, operation,
                                                               data):
    """The outbox keeps the ERP's own words for a refusal and shows them later: as text, like any ERP data."""
    billing.fail(operation, ErpRejected(operation, LONG))
    form = {"reading_date": portal_day(kowalski.application, -1), "idempotency_key": str(uuid.uuid4()), **data}
    assert kowalski.post(url, data=form).status_code == 302
    deliver()
    result = timed(kowalski.get, url if operation == "submit_reading" else "/messages/")
    assert_safe(result, logs, statuses=(200,), never=("<script>alert", "<img src=x"))
    assert str(escape(LONG)) in result.page


def declared_type(protocol: str, content_type: str):
    """The file's type as the ERP declares it: the Content-Type header (REST) or the reply's field (SOAP)."""
    if protocol == "soap":
        return lambda original: (200, "text/xml; charset=utf-8", re.sub(
            rb"<erp:contentType>[^<]*</erp:contentType>",
            f"<erp:contentType>{content_type}</erp:contentType>".encode(), original))
    return lambda original: (200, content_type, original)


@pytest.mark.parametrize("content_type", ["text/xml", "text/plain", "image/gif", "application/x-msdownload",
                                          "application/vnd.ms-htmlhelp"])
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_an_erp_file_not_pdf_png_or_jpeg_is_only_bytes_to_save(portal, logs, protocol, content_type):
    """An allowlist, not a blocklist of active types: XML or a help file would render in the portal's origin."""
    erp = portal(protocol)
    erp.plan.replace("get_document", declared_type(protocol, content_type))
    result = timed(erp.client.get, "/downloads/DOC-1001-1")
    assert_safe(result, logs, statuses=(200,))
    assert result.response.mimetype == "application/octet-stream"
    assert parse_options_header(result.response.headers["Content-Disposition"])[0] == "attachment"


@pytest.mark.parametrize(("url", "operation"), [("/invoices/INV-202611-00117/preview", "get_invoice_pdf"),
                                                ("/contracts/U-1001-1/scan", "get_contract_scan")])
@pytest.mark.parametrize("content_type", ["image/png", "text/html", "application/octet-stream"])
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_an_invoice_or_contract_scan_that_is_not_a_pdf_is_refused(portal, logs, protocol, url, operation, content_type):
    """The contract says PDF, for SOAP as for REST: anything else is a malformed reply, never shown."""
    erp = portal(protocol)
    erp.plan.replace(operation, declared_type(protocol, content_type))
    result = timed(erp.client.get, url)
    assert_safe(result, logs, statuses=(502,), log_level=logging.WARNING)
    assert "expected application/pdf" in logs.text()
