"""What the schemathesis run of issue 13 found, each pinned by a plain example: the simulator demands the
contract's authentication, refuses bad base64 and an empty serial filter with 400, and takes schema-valid
writes whose body copies of the key or the meter differ from the header and the path."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree

from adapters.soap.client import CONTRACT_DIR
from adapters.soap.envelope import NAMESPACE, SOAP_ENV
from fixtures.simulator.app import create_simulator
from fixtures.simulator.auth import DEMO, Credentials
from fixtures.simulator.faults import FaultPlan
from fixtures.simulator.store import DemoStore

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
API = "/api/v1/customers"
WRITER = "K-1003"
WRONG_PASSWORD = Credentials(DEMO.username, "zgadywane-haslo")
LIST_INVOICES = (
    f'<s:Envelope xmlns:s="{SOAP_ENV}" xmlns:e="{NAMESPACE}"><s:Body>'
    "<e:ListInvoices><e:customerId>K-1001</e:customerId></e:ListInvoices></s:Body></s:Envelope>"
)
SOAP_HEADERS = {"Content-Type": "text/xml; charset=utf-8"}


@pytest.fixture(scope="module")
def store():
    return DemoStore.load(clock=lambda: NOW)


@pytest.fixture
def client(store):
    store.reset()
    return create_simulator(store=store, faults=FaultPlan(sleep=lambda _: None)).test_client()


def _signed_in(**headers: str) -> dict[str, str]:
    return {"Authorization": DEMO.header(), **headers}


@pytest.mark.parametrize("authorization", [None, WRONG_PASSWORD.header(), "Bearer " + DEMO.password])
def test_rest_without_the_portals_account_is_401_with_the_contracts_error(client, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    reply = client.get(f"{API}/K-1001/invoices", headers=headers)
    assert reply.status_code == 401
    assert reply.get_json() == {"error": {"code": "UNAUTHORIZED", "message": "Brak ważnych danych logowania do ERP."}}
    assert reply.headers["WWW-Authenticate"].startswith("Basic ")


def _consents(client) -> list[bool]:
    contracts = client.get(f"{API}/{WRITER}/contracts", headers=_signed_in()).get_json()["contracts"]
    return [contract["eInvoiceConsent"] for contract in contracts]


def test_rest_writes_need_the_account_too(client):
    before = _consents(client)
    reply = client.put(f"{API}/{WRITER}/einvoice-consent", json={"enabled": not before[0]},
                       headers={"Idempotency-Key": "a-1"})
    assert reply.status_code == 401
    assert _consents(client) == before


def test_soap_without_the_portals_account_is_401_with_a_client_fault(client):
    reply = client.post("/soap", data=LIST_INVOICES, headers={**SOAP_HEADERS, "Authorization": WRONG_PASSWORD.header()})
    assert reply.status_code == 401
    fault = etree.fromstring(reply.data).find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    assert fault.findtext("faultcode") == "soap:Client"
    signed_in = client.post("/soap", data=LIST_INVOICES, headers=_signed_in(**SOAP_HEADERS))
    assert signed_in.status_code == 200


def test_the_wsdl_and_the_controls_stay_open(client):
    assert client.get("/soap?wsdl").status_code == 200
    assert client.get("/_sim/health").status_code == 200


@pytest.mark.parametrize("content", ["\x80", "zażółć==", "not base64!", "QUJ"])
def test_an_attachment_that_is_not_base64_is_400_never_500(client, content):
    body = {"messageType": "inquiry", "subject": "Pytanie", "body": "Treść",
            "attachments": [{"fileName": "a.pdf", "contentType": "application/pdf", "content": content}]}
    reply = client.post(f"{API}/{WRITER}/messages", json=body, headers=_signed_in(**{"Idempotency-Key": "m-1"}))
    assert reply.status_code == 400
    assert reply.get_json()["error"]["code"] == "INVALID"


@pytest.mark.parametrize("query, status", [("?serial=", 400), ("?serial=" + "9" * 65, 400), ("?serial=0004", 200)])
def test_the_serial_filter_is_one_to_sixty_four_characters(client, query, status):
    assert client.get(f"{API}/K-1001/meters{query}", headers=_signed_in()).status_code == status


def test_a_body_key_other_than_the_headers_is_taken_under_the_headers_key(client):
    url = f"{API}/{WRITER}/messages"
    body = {"messageType": "inquiry", "subject": "Pytanie", "body": "Treść", "idempotencyKey": "from-the-body"}
    first = client.post(url, json=body, headers=_signed_in(**{"Idempotency-Key": "from-the-header"}))
    again = client.post(url, json={**body, "idempotencyKey": "yet-another"},
                        headers=_signed_in(**{"Idempotency-Key": "from-the-header"}))
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()


def test_a_body_meter_other_than_the_paths_is_read_for_the_paths_meter(client):
    meters = client.get(f"{API}/{WRITER}/meters", headers=_signed_in()).get_json()["meters"]
    meter_id = next(meter["meterId"] for meter in meters if meter["status"] == "active")
    url = f"{API}/{WRITER}/meters/{meter_id}/readings"
    body = {"readingDate": NOW.date().isoformat(), "value": "99999.000", "meterId": "W-somebody-else"}
    reply = client.post(url, json=body, headers=_signed_in(**{"Idempotency-Key": "r-1"}))
    assert reply.status_code == 201
    readings = client.get(url, headers=_signed_in()).get_json()["readings"]
    assert readings[-1]["readingDate"] == NOW.date().isoformat() and readings[-1]["value"] == "99999.000"


def test_the_demo_account_signs_in_as_ibok_portal():
    assert DEMO.header() == "Basic " + base64.b64encode(b"ibok-portal:symulator-demo").decode()


def test_the_contract_is_served_without_signing_in_as_the_wsdl_is(client):
    reply = client.get("/api/v1/openapi.yaml")
    assert reply.status_code == 200 and reply.mimetype == "application/yaml"
    assert reply.get_data() == (CONTRACT_DIR / "openapi.yaml").read_bytes()
