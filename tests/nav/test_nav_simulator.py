"""The Dynamics NAV simulator speaks the published WSDLs: its replies fit the pages' own schemas, ReadMultiple filters
and pages by bookmark as NAV does, faults come in NAV's shape, and nothing is answered without basic auth."""

from __future__ import annotations

import base64

import pytest
import requests
from lxml import etree

from fixtures.nav.app import PASSWORD, USERNAME
from fixtures.nav.pages import load_page, matches, safe_parser
from tests.nav.simulator import COMPANY_PATH

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
CUSTOMER_NS = "urn:microsoft-dynamics-schemas/page/customer"
JOURNAL_NS = "urn:microsoft-dynamics-schemas/page/journal"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()}


def _post(base_url: str, page: str, call: str, headers: dict[str, str] | None = None) -> requests.Response:
    envelope = f'<s:Envelope xmlns:s="{SOAP}"><s:Body>{call}</s:Body></s:Envelope>'
    return requests.post(f"{base_url}{COMPANY_PATH}/Page/{page}", data=envelope.encode(), timeout=5,
                         headers={"Content-Type": "text/xml; charset=utf-8", **(AUTH if headers is None else headers)})


def _body(response: requests.Response) -> etree._Element:
    envelope = etree.fromstring(response.content, parser=safe_parser())
    return envelope.find(f"{{{SOAP}}}Body")[0]


def _contract_cards(base_url: str, size: int, bookmark: str = "") -> requests.Response:
    mark = f"<bookmarkKey>{bookmark}</bookmarkKey>" if bookmark else ""
    return _post(base_url, "Customer", f'<ReadMultiple xmlns="{CUSTOMER_NS}"><filter><Field>Bill_to_Customer_No'
                                       f'</Field><Criteria>K-1001</Criteria></filter>{mark}<setSize>{size}</setSize>'
                                       "</ReadMultiple>")


def test_replies_fit_the_published_schemas(nav_erp):
    card = _post(nav_erp, "Customer", f'<Read xmlns="{CUSTOMER_NS}"><No>K-1002</No></Read>')
    lines = _post(nav_erp, "Journal", f'<ReadMultiple xmlns="{JOURNAL_NS}"><filter><Field>Journal_Batch_Name</Field>'
                                      "<Criteria>K-1002</Criteria></filter><setSize>0</setSize></ReadMultiple>")
    for page, response in (("Customer", card), ("Journal", lines)):
        schema = load_page(page, key=()).schema
        assert response.status_code == 200 and schema.validate(_body(response)), schema.error_log
    assert _body(card).findtext(f"{{{CUSTOMER_NS}}}Customer/{{{CUSTOMER_NS}}}Name") == "Anna Nowak"
    assert len(_body(lines)[0]) == 82


def test_read_multiple_pages_from_the_bookmark_key(nav_erp):
    first = _body(_contract_cards(nav_erp, 2))[0]
    assert [card.findtext(f"{{{CUSTOMER_NS}}}No") for card in first] == ["U-1001-0", "U-1001-1"]
    rest = _body(_contract_cards(nav_erp, 2, first[-1].findtext(f"{{{CUSTOMER_NS}}}Key") or ""))[0]
    assert [card.findtext(f"{{{CUSTOMER_NS}}}No") for card in rest] == ["U-1001-2"]


def test_an_unknown_bookmark_is_a_nav_fault(nav_erp):
    response = _contract_cards(nav_erp, 2, "7;bm9wZQ==;")
    fault = _body(response)
    assert response.status_code == 500 and fault.tag == f"{{{SOAP}}}Fault"
    assert fault.findtext("faultcode") == "a:Microsoft.Dynamics.Nav.Types.Exceptions.NavNCLArgumentException"
    assert fault.findtext("faultstring") == "The bookmark key is not valid."
    assert fault.find("faultcode").nsmap["a"] == "urn:microsoft-dynamics-schemas/error"


@pytest.mark.parametrize("criteria, found", [
    ("K-1001", True), ("K-1002", False), ("K-1002|K-1001", True), ("K-1000..K-1001", True), ("K-1002..", False),
    ("<>K-1001", False), ("<>K-1002", True),
])
def test_filter_criteria_read_as_nav_reads_them(criteria, found):
    assert matches({"No": "K-1001", "City": "Opole"}, [("No", criteria), ("City", "Opole")]) is found


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic " + base64.b64encode(b"IBOK-PORTAL:x").decode()}])
def test_nothing_is_answered_without_the_users_basic_auth(nav_erp, headers):
    response = _post(nav_erp, "Customer", f'<Read xmlns="{CUSTOMER_NS}"><No>K-1001</No></Read>', headers)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Basic")
    assert b"Kowalski" not in response.content


def test_an_entity_in_the_request_is_not_expanded(nav_erp):
    call = f'<Read xmlns="{CUSTOMER_NS}"><No>&who;</No></Read>'
    envelope = f'<!DOCTYPE s [<!ENTITY who "K-1001">]><s:Envelope xmlns:s="{SOAP}"><s:Body>{call}</s:Body></s:Envelope>'
    response = requests.post(f"{nav_erp}{COMPANY_PATH}/Page/Customer", data=envelope.encode(), headers=AUTH, timeout=5)
    assert b"Kowalski" not in response.content
