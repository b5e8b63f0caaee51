"""SAP Gateway's gate in front of the service: basic auth, the CSRF token for writes, and the web firewall."""

from __future__ import annotations

import base64

import pytest

from tests.sap_umc.conftest import JSON, ROOT, USER, get_json

WRONG = "Basic " + base64.b64encode(f"{USER}:not-the-password".encode()).decode()


@pytest.mark.parametrize("headers", [{}, {"Authorization": WRONG}, {"Authorization": "Bearer abc"}])
def test_without_the_right_basic_auth_every_request_is_401(client, headers):
    reply = client.get(ROOT + "Accounts('K-1001')?$format=json", headers=headers)
    assert reply.status_code == 401 and reply.mimetype == "text/html"
    assert reply.headers["WWW-Authenticate"] == 'Basic realm="SAP NetWeaver Application Server [ERP/100]"'
    assert b"K-1001" not in reply.data


def test_service_document_lists_the_entity_sets_and_hands_out_a_csrf_token(client):
    reply = client.get(ROOT, headers={**JSON, "x-csrf-token": "Fetch"})
    assert reply.status_code == 200 and len(reply.headers["x-csrf-token"]) >= 20
    assert {"Accounts", "Invoices", "InvoicePDFs", "MeterReadingResults", "PaymentDocuments"} <= set(
        reply.get_json()["d"]["EntitySets"])
    assert "x-csrf-token" not in client.get(ROOT, headers=JSON).headers


def test_no_token_for_a_refused_login(client):
    reply = client.get(ROOT, headers={"Accept": "application/json", "x-csrf-token": "Fetch"})
    assert reply.status_code == 401 and "x-csrf-token" not in reply.headers


def test_firewall_answers_every_request_with_an_html_page_and_200(client):
    assert client.post("/_umc/firewall", json={"enabled": True}).get_json() == {"enabled": True}
    for reply in (client.get(ROOT + "Invoices?$format=json", headers=JSON),
                  client.get(ROOT + "Invoices?$format=json"),
                  client.post(ROOT + "MeterReadingResults", headers=JSON, json={})):
        assert reply.status_code == 200 and reply.mimetype == "text/html"
        assert b"The requested URL was rejected" in reply.data
    assert client.get("/_umc/firewall").get_json() == {"enabled": True}
    client.post("/_umc/firewall", json={"enabled": False})
    assert get_json(client, "Invoices('INV-202611-00117')")["d"]["AmountDue"] == "34.29"


def test_reset_takes_the_firewall_away(client):
    client.post("/_umc/firewall", json={"enabled": True})
    assert client.post("/_umc/reset").status_code == 204
    assert get_json(client, "Accounts('K-1003')")["d"]["FullName"] == "Piotr Nowy"


def test_firewall_switch_wants_a_boolean(client):
    assert client.post("/_umc/firewall", json={"enabled": "yes"}).status_code == 400


def test_health_names_the_demo_accounts(client):
    health = client.get("/_umc/health").get_json()
    assert health["status"] == "ok" and health["service"] == "ERP_UTILITIES_UMC"
    assert {"K-1001", "K-1002", "K-1003", "K-1004"} <= set(health["accounts"])
