"""The SMSAPI.pl adapter against `responses` (the exact request, each error answer's kind, no retry), the simulator
behind it, and the settings production refuses."""

from __future__ import annotations

import re
from typing import Any, Iterator
from urllib.parse import parse_qs

import pytest
import requests
import responses

from adapters.sms.errors import SmsAuthorisationFailed, SmsBadNumber, SmsRefused, SmsUnavailable
from adapters.sms.registry import GatewayNotFound, resolve_gateway
from adapters.sms.smsapi import Smsapi, SmsapiSettings
from fixtures.smsapi.app import create_smsapi
from gateway.config_check import production_problems
from tests.payments.fixtures import _forward

URL = "https://api.smsapi.pl"
SENT = {"count": 1, "list": [{"id": "1460969715572091219", "points": 0.16, "number": "48600100200",
                              "date_sent": 1460969712, "submitted_number": "48600100200", "status": "QUEUE"}]}


def gateway(sender: str = "SWiK") -> Smsapi:
    return Smsapi(SmsapiSettings(token="panel-token", sender=sender, url=URL, read_timeout=2.0, deadline=3.0))


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as mocked:
        yield mocked


def test_one_form_post_to_sms_do_with_the_bearer_token(mock):
    mock.add(responses.POST, f"{URL}/sms.do", json=SENT)
    assert gateway().send("48600100200", "IBOK: tekst") == "1460969715572091219"
    request = mock.calls[0].request
    assert request.headers["Authorization"] == "Bearer panel-token"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.body) == {"to": ["48600100200"], "message": ["IBOK: tekst"], "from": ["SWiK"],
                                      "format": ["json"], "encoding": ["utf-8"]}


def test_no_sender_leaves_the_accounts_default(mock):
    mock.add(responses.POST, f"{URL}/sms.do", json=SENT)
    gateway(sender="").send("48600100200", "x")
    assert "from" not in parse_qs(mock.calls[0].request.body)


@pytest.mark.parametrize(("status", "answer", "kind", "code"), [
    (200, {"error": 13, "message": "No correct phone numbers", "invalid_numbers": []}, SmsBadNumber, 13),
    (200, {"error": 101, "message": "Authorization failed"}, SmsAuthorisationFailed, 101),
    (200, {"error": 105, "message": "IP filter"}, SmsAuthorisationFailed, 105),
    (200, {"error": 103, "message": "Not enough points"}, SmsRefused, 103),
    (401, {"error": 101, "message": "Authorization failed"}, SmsAuthorisationFailed, 101),
    (200, {"count": 0, "list": []}, SmsRefused, None),
])
def test_an_error_answer_is_a_refusal_of_its_kind_whatever_the_status(mock, status, answer, kind, code):
    mock.add(responses.POST, f"{URL}/sms.do", json=answer, status=status)
    with pytest.raises(kind) as raised:
        gateway().send("48600100200", "x")
    assert type(raised.value) is kind and raised.value.code == code
    assert "48600100200" not in str(raised.value)


def test_html_instead_of_json_is_a_refusal(mock):
    mock.add(responses.POST, f"{URL}/sms.do", body="<html>maintenance</html>", status=200)
    with pytest.raises(SmsRefused):
        gateway().send("48600100200", "x")


@pytest.mark.parametrize("failure", [dict(status=503, json={}), dict(body=requests.ConnectionError("reset"))])
def test_no_answer_is_unavailable_and_never_sent_twice(mock, failure):
    mock.add(responses.POST, f"{URL}/sms.do", **failure)
    with pytest.raises(SmsUnavailable):
        gateway().send("48600100200", "x")
    assert len(mock.calls) == 1


def test_the_gateway_is_found_by_its_entry_point_and_a_long_sender_refused():
    assert resolve_gateway("smsapi") is Smsapi
    with pytest.raises(GatewayNotFound):
        resolve_gateway("smsapi-typo")
    with pytest.raises(ValueError):
        gateway(sender="WodociagiSWiK")


@pytest.fixture
def simulator() -> Iterator[Any]:
    sim = create_smsapi(token="panel-token")
    client = sim.test_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.add_callback(responses.POST, re.compile(re.escape(URL) + "/.*"), callback=_forward(client))
        yield client


def test_the_simulator_records_what_it_took_and_fails_when_told(simulator):
    assert gateway().send("48600100200", "IBOK: pierwszy") == "1"
    assert simulator.put("/_smsapi/failure", json={"error": 103}).status_code == 200
    with pytest.raises(SmsRefused) as raised:
        gateway().send("48600100200", "IBOK: drugi")
    assert raised.value.code == 103
    simulator.put("/_smsapi/failure", json={})
    with pytest.raises(SmsBadNumber):
        gateway().send("+48 600", "IBOK: trzeci")
    with pytest.raises(SmsAuthorisationFailed):
        Smsapi(SmsapiSettings(token="another", url=URL)).send("48600100200", "x")
    assert simulator.get("/_smsapi/messages").get_json() == [
        {"to": "48600100200", "message": "IBOK: pierwszy", "from": "SWiK"}]


SMS_ON = {"SMS_ENABLED": True, "SMS_GATEWAY": "smsapi"}


@pytest.mark.parametrize(("settings", "problem"), [
    ({"SMSAPI_TOKEN": "demo-sms-token-not-for-production", "SMSAPI_URL": URL}, "SMSAPI_TOKEN must be"),
    ({"SMSAPI_TOKEN": "", "SMSAPI_URL": URL}, "SMSAPI_TOKEN must be"),
    ({"SMSAPI_TOKEN": "panel-token", "SMSAPI_URL": "http://127.0.0.1:8083"}, "SMSAPI_URL must start with https"),
])
def test_production_refuses_the_demos_sms_settings(settings, problem):
    assert any(found.startswith(problem) for found in production_problems({**SMS_ON, **settings}))
    assert not [found for found in production_problems({**settings, "SMS_ENABLED": False}) if "SMS" in found]
