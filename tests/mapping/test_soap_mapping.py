"""A mapping file over a SOAP operation (the kit's SoapService on a WSDL the portal did not write): the call's
parameters templated into the request, the reply's plain dicts read by the same paths and converters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import responses
from lxml import etree

from adapters.kit import ErpBadResponse, ErpOptions, ErpSettings, MappingBilling, MappingError
from tests.mapping.toml_parts import VALID

WSDL = Path(__file__).resolve().parents[1] / "kit" / "data" / "aquasoap.wsdl"
URL = "https://soap.test/Bills"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
BILLS = """
[operations.list_invoices]
soap = { operation = "ReadBills", params = { ClientNo = "{customerId}" } }
items = "[*]"
[operations.list_invoices.fields]
invoiceId = "No"
invoiceNumber = "No"
issueDate = { path = "Issued", convert = "date" }
dueDate = { path = "Issued", convert = "date" }
grossAmount = { path = "Gross", convert = "decimal" }
status = { value = "unpaid" }
"""


def with_soap(wsdl: str) -> str:
    """The start-up tests' valid file with list_invoices over SOAP instead of REST."""
    start, end = VALID.index("[operations.list_invoices]"), VALID.index("[operations.get_invoice]")
    return VALID[:start].replace("[mapping]\n", f"[mapping]\nwsdl = '{wsdl}'\n", 1) + BILLS + "\n" + VALID[end:]


def build(tmp_path: Path, text: str) -> MappingBilling:
    path = tmp_path / "erp.toml"
    path.write_text(text, encoding="utf-8")
    return MappingBilling(ErpSettings(url=URL, options=ErpOptions({"mapping_file": str(path)})))


def envelope(body: str) -> str:
    return f"<s:Envelope xmlns:s='{SOAP}'><s:Body>{body}</s:Body></s:Envelope>"


@responses.activate
def test_a_soap_operations_reply_is_mapped_like_json(tmp_path):
    responses.post(URL, content_type="text/xml", body=envelope(
        "<t:ReadBills_Result xmlns:t='urn:aquasoap:types'>"
        "<t:Bill><t:No>FV/1</t:No><t:Gross>123.45</t:Gross><t:Issued>2026-10-05</t:Issued></t:Bill>"
        "<t:Bill><t:No>FV/2</t:No><t:Gross>7.10</t:Gross><t:Issued>2026-11-05</t:Issued></t:Bill>"
        "</t:ReadBills_Result>"))
    invoices = build(tmp_path, with_soap(str(WSDL))).list_invoices("C-1")
    assert [(i.number, i.issued_on, i.gross) for i in invoices] == [
        ("FV/2", date(2026, 11, 5), Decimal("7.10")), ("FV/1", date(2026, 10, 5), Decimal("123.45"))]
    sent = etree.fromstring(responses.calls[0].request.body)
    assert sent.findtext(".//{urn:aquasoap:types}ClientNo") == "C-1"


@responses.activate
def test_a_soap_reply_that_does_not_fit_the_wsdl_is_a_reply_that_does_not_fit(tmp_path):
    responses.post(URL, content_type="text/xml", body=envelope(
        "<t:ReadBills_Result xmlns:t='urn:aquasoap:types'><t:Bill><t:Gross>1.00</t:Gross>"
        "<t:Issued>2026-11-05</t:Issued></t:Bill></t:ReadBills_Result>"))
    with pytest.raises(ErpBadResponse, match="does not fit the WSDL"):  # a Bill without its No
        build(tmp_path, with_soap(str(WSDL))).list_invoices("C-1")


def test_a_wsdl_that_is_not_there_stops_the_start(tmp_path):
    with pytest.raises(MappingError, match="mapping.wsdl: no such file"):
        build(tmp_path, with_soap("missing.wsdl"))


def test_a_soap_operation_needs_the_wsdl_named(tmp_path):
    text = with_soap(str(WSDL)).replace(f"wsdl = '{WSDL}'\n", "")
    with pytest.raises(MappingError, match=r"mapping.wsdl: missing: operations.list_invoices.soap needs"):
        build(tmp_path, text)
