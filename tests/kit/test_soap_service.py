"""The kit's SoapService on a WSDL the portal did not write: plain dicts out, faults through the plugin's hook,
statuses as typed errors, WS-Security and plugin-built headers in the envelope, imports kept to the WSDL's own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import responses
from lxml import etree
from zeep.exceptions import ExternalReferenceForbidden

from adapters.kit import (
    ErpBadResponse,
    ErpNotFound,
    ErpRejected,
    ErpSettings,
    ErpUnavailable,
    SoapFault,
    SoapService,
)
from adapters.soap.client import ErpTransport

DATA = Path(__file__).parent / "data"
WSDL = DATA / "aquasoap.wsdl"
URL = "https://soap.test/Bills"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
RESULT = ("<t:ReadBills_Result xmlns:t='urn:aquasoap:types'><t:Bill><t:No>FV/1</t:No><t:Gross>123.45</t:Gross>"
          "<t:Issued>2026-11-05</t:Issued></t:Bill></t:ReadBills_Result>")


def envelope(body):
    return f"<s:Envelope xmlns:s='{SOAP}'><s:Body>{body}</s:Body></s:Envelope>"


def fault(code, text="Client C-9 does not exist", detail=""):
    return envelope(f"<s:Fault><faultcode>s:{code}</faultcode><faultstring>{text}</faultstring>{detail}</s:Fault>")


def sent(index=0):
    return etree.fromstring(responses.calls[index].request.body)


@responses.activate
def test_a_reply_is_plain_dicts_from_the_configured_address_not_the_wsdls():
    responses.post(URL, body=envelope(RESULT), content_type="text/xml")
    result = SoapService(ErpSettings(url=URL), WSDL).call("list_invoices", "ReadBills", ClientNo="C-1")
    # zeep hands a reply of one repeated element back as its list
    assert result == [{"No": "FV/1", "Gross": Decimal("123.45"), "Issued": date(2026, 11, 5)}]
    assert sent().findtext(".//{urn:aquasoap:types}ClientNo") == "C-1"
    assert responses.calls[0].request.headers["SOAPAction"] == '"urn:aquasoap:ReadBills"'


@responses.activate
def test_a_fault_is_mapped_by_the_plugins_hook():
    detail = "<detail><x:Code xmlns:x='urn:aquasoap:faults'>NO_CLIENT</x:Code></detail>"
    responses.post(URL, body=fault("Client", detail=detail), status=500, content_type="text/xml")
    seen = []

    def faults(operation, found: SoapFault):
        seen.append((found.side, found.message))
        if found.detail is not None and found.detail.findtext("{urn:aquasoap:faults}Code") == "NO_CLIENT":
            return ErpNotFound(operation, "no such client")
        return None

    with pytest.raises(ErpNotFound):
        SoapService(ErpSettings(url=URL), WSDL, faults=faults).call("get_customer", "ReadBills", ClientNo="C-9")
    assert seen == [("Client", "Client C-9 does not exist")]


@pytest.mark.parametrize(
    "code, write, error",
    [("Server", False, ErpUnavailable), ("Client", False, ErpBadResponse), ("Client", True, ErpRejected)],
)
@responses.activate
def test_without_a_hook_faults_keep_the_portals_meaning(code, write, error):
    responses.post(URL, body=fault(code), status=500, content_type="text/xml")
    with pytest.raises(error) as raised:
        SoapService(ErpSettings(url=URL), WSDL).call("submit_reading", "ReadBills", write=write, ClientNo="C-9")
    if write:
        assert raised.value.reason == "Client C-9 does not exist"


@pytest.mark.parametrize(
    "status, body, error, calls",
    [
        (401, "", ErpUnavailable, 1),
        (503, "busy", ErpUnavailable, 2),  # a read is tried once more
        (200, "<html>Web firewall: request blocked</html>", ErpBadResponse, 1),
    ],
)
@responses.activate
def test_statuses_and_shapeless_replies_are_typed_errors(status, body, error, calls):
    responses.post(URL, body=body, status=status, content_type="text/html")
    with pytest.raises(error):
        SoapService(ErpSettings(url=URL), WSDL).call("list_invoices", "ReadBills", ClientNo="C-1")
    assert len(responses.calls) == calls


@responses.activate
def test_ws_security_and_a_plugin_built_header_travel_in_the_envelope():
    responses.post(URL, body=envelope(RESULT), content_type="text/xml")
    settings = ErpSettings(url=URL, wsse_username="ibok", wsse_password="ws-s3cret")

    def session_header():
        element = etree.Element("{urn:aquasoap:session}Session")
        element.text = "session-42"
        return [element]

    SoapService(settings, WSDL, headers=session_header).call("list_invoices", "ReadBills", ClientNo="C-1")
    header = sent().find(f"{{{SOAP}}}Header")
    assert header.findtext("{urn:aquasoap:session}Session") == "session-42"
    assert header.findtext(".//{*}UsernameToken/{*}Username") == "ibok"
    assert header.findtext(".//{*}UsernameToken/{*}Password") == "ws-s3cret"


@responses.activate
def test_a_wsdl_on_the_erp_is_fetched_with_its_imports_and_the_erps_credentials():
    responses.get(f"{URL}?wsdl", body=WSDL.read_bytes(), content_type="text/xml")
    responses.get("https://soap.test/aquasoap.xsd", body=(DATA / "aquasoap.xsd").read_bytes())
    responses.post(URL, body=envelope(RESULT), content_type="text/xml")
    settings = ErpSettings(url=URL, auth="bearer", token="t0k3n", read_timeout=7.5)
    result = SoapService(settings, f"{URL}?wsdl").call("list_invoices", "ReadBills", ClientNo="C-1")
    assert result[0]["No"] == "FV/1"
    assert [call.request.headers["Authorization"] for call in responses.calls] == ["Bearer t0k3n"] * 3


@pytest.mark.parametrize(
    "wsdl, location",
    [
        (WSDL, str(DATA.parent / "test_soap_service.py")),
        (WSDL, "https://soap.test/aquasoap.xsd"),
        ("https://soap.test/Bills?wsdl", "https://elsewhere.test/aquasoap.xsd"),
        ("https://soap.test/Bills?wsdl", str(DATA / "aquasoap.xsd")),
    ],
)
def test_a_wsdl_reaches_nothing_but_its_own_folder_or_host(wsdl, location):
    with pytest.raises(ExternalReferenceForbidden):
        ErpTransport(ErpSettings(url=URL), wsdl).load(location)


def test_a_wsdl_importing_from_outside_its_folder_is_refused():
    with pytest.raises(ErpBadResponse, match="does not fit the WSDL"):
        SoapService(ErpSettings(url=URL), DATA / "outside.wsdl").call("list_invoices", "ReadBills")
