"""The SOAP side under its XSD: requests generated from ibok-erp.xsd for every WSDL operation, posted to the
simulator in-process; it never fails outside SOAP, every reply and fault validates against the XSD, and a
soap:Client fault always carries the contract's ErpFault."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from adapters.core.operations import OPERATIONS
from adapters.soap.client import CONTRACT_DIR
from adapters.soap.envelope import NAMESPACE, SOAP_ENV
from fixtures.simulator.app import create_simulator
from fixtures.simulator.auth import DEMO
from fixtures.simulator.faults import FaultPlan
from fixtures.simulator.store import DemoStore
from tests.fuzz.xsd_strategies import ContractTypes

XSD_PATH = CONTRACT_DIR / "ibok-erp.xsd"
TYPES = ContractTypes(XSD_PATH)
XSD = etree.XMLSchema(etree.parse(str(XSD_PATH)))
WSDL = etree.parse(str(CONTRACT_DIR / "ibok-erp.wsdl"))
# Every operation the WSDL's port type offers, by name; the test below checks it is the operation table's list.
SOAP_OPERATIONS = sorted(WSDL.xpath("//wsdl:portType/wsdl:operation/@name",
                                    namespaces={"wsdl": "http://schemas.xmlsoap.org/wsdl/"}))
EXAMPLES_PER_OPERATION = 14  # about 200 requests in all
STORE = DemoStore.load()
CLIENT = create_simulator(store=STORE, faults=FaultPlan(sleep=lambda _: None)).test_client()
HEADERS = {"Content-Type": "text/xml; charset=utf-8", "Authorization": DEMO.header()}
SOAP = {"s": SOAP_ENV, "e": NAMESPACE}


def _known(field: str, key: str) -> list[str]:
    """Every customer's real ids of one kind, so generated requests reach data and not only NOT_FOUND."""
    lists = {"contractId": "list_contracts", "meterId": "list_meters", "invoiceId": "list_invoices",
             "documentId": "list_documents"}
    found: list[str] = []
    for customer_id in STORE.customer_ids():
        found += [item[field] for item in getattr(STORE, lists[field])(customer_id)[key]][:4]
    return found


IDS = {
    "customerId": st.sampled_from(STORE.customer_ids()) | TYPES.text("Id"),
    "contractId": st.sampled_from(_known("contractId", "contracts")) | TYPES.text("Id"),
    "meterId": st.sampled_from(_known("meterId", "meters")) | TYPES.text("Id"),
    "invoiceId": st.sampled_from(_known("invoiceId", "invoices")) | TYPES.text("Id"),
    "documentId": st.sampled_from(_known("documentId", "documents")) | TYPES.text("Id"),
}


def _envelope(body: etree._Element) -> bytes:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body").append(body)
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))


def _check_reply(operation: str, status: int, content: bytes) -> None:
    """200 with `operation`Response, or a SOAP fault: Client ones with an ErpFault, all valid under the XSD."""
    assert status in (200, 500), (operation, status, content[:300])
    payload = etree.fromstring(content).find("s:Body", SOAP)[0]
    if status == 200:
        assert payload.tag == f"{{{NAMESPACE}}}{operation}Response", content[:300]
        assert XSD.validate(etree.ElementTree(payload)), (operation, XSD.error_log.last_error)
        return
    assert payload.tag == f"{{{SOAP_ENV}}}Fault", content[:300]
    if payload.findtext("faultcode") == "soap:Server":
        return
    assert payload.findtext("faultcode") == "soap:Client", content[:300]
    detail = payload.find("detail/e:ErpFault", SOAP)
    assert detail is not None, content[:300]
    assert XSD.validate(etree.ElementTree(detail)), (operation, XSD.error_log.last_error)


def test_the_wsdl_offers_every_operation_of_the_table():
    assert SOAP_OPERATIONS == sorted(spec.soap for spec in OPERATIONS.values())


@pytest.mark.parametrize("operation", SOAP_OPERATIONS)
@settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_generated_request_gets_a_reply_or_a_contract_fault(operation, data):
    request = data.draw(TYPES.request(operation, IDS, loose=data.draw(st.booleans())))
    # The XSD's own verdict on what was generated: a request it rejects must come back as an INVALID fault.
    valid = XSD.validate(etree.ElementTree(request))
    assert CLIENT.post("/_sim/reset").status_code == 204  # each request from the dataset as loaded
    reply = CLIENT.post("/soap", data=_envelope(request), headers=HEADERS)
    _check_reply(operation, reply.status_code, reply.data)
    if not valid:
        assert b"<erp:code>INVALID</erp:code>" in reply.data, reply.data[:300]
