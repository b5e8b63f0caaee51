"""Posting a meter reading the way SAP Gateway wants it: token first, then the entity; the store's rules apply."""

from __future__ import annotations

import pytest

from tests.sap_umc.conftest import JSON, ROOT, get_json

NOV_27 = "/Date(1795737600000)/"  # 2026-11-27, the store's today


def _token(client) -> str:
    return client.get(ROOT, headers={**JSON, "x-csrf-token": "Fetch"}).headers["x-csrf-token"]


def _post(client, body, token=None):
    headers = {**JSON, "x-csrf-token": token if token is not None else _token(client)}
    return client.post(ROOT + "MeterReadingResults", headers=headers, json=body)


def test_posted_reading_is_created_and_shows_up_in_the_device_history(client):
    reply = _post(client, {"DeviceID": "W-1001-3", "ReadingResult": "437.125", "ReadingDateTime": NOV_27})
    assert reply.status_code == 201, reply.get_data(as_text=True)
    assert reply.headers["Location"] == f"http://localhost{ROOT}MeterReadingResults('W-1001-3-20261127')"
    created = reply.get_json()["d"]
    assert {k: created[k] for k in ("MeterReadingResultID", "ReadingResult", "ReadingDateTime", "Consumption",
                                    "MeterReadingCategoryID", "MeterReadingStatusID")} == {
        "MeterReadingResultID": "W-1001-3-20261127", "ReadingResult": "437.125", "ReadingDateTime": NOV_27,
        "Consumption": "0.643", "MeterReadingCategoryID": "02", "MeterReadingStatusID": "2"}
    history = get_json(client, "Devices('W-1001-3')/MeterReadingResults")["d"]["results"]
    assert history[-1]["MeterReadingResultID"] == "W-1001-3-20261127"
    assert get_json(client, "MeterReadingResults('W-1001-3-20261127')")["d"]["ReadingResult"] == "437.125"


def test_a_retry_answers_the_same_reading_and_adds_nothing(client):
    body = {"DeviceID": "W-1002-1", "ReadingResult": 290.5, "ReadingDateTime": "2026-11-26T00:00:00"}
    first, again = _post(client, body), _post(client, body)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["d"] == again.get_json()["d"]
    history = get_json(client, "MeterReadingResults?$filter=DeviceID eq 'W-1002-1'")["d"]["results"]
    assert [r["MeterReadingResultID"] for r in history].count("W-1002-1-20261126") == 1


@pytest.mark.parametrize("token", ["", "made-up"])
def test_without_a_fetched_token_the_post_is_403(client, token):
    reply = _post(client, {"DeviceID": "W-1001-3", "ReadingResult": "437.125", "ReadingDateTime": NOV_27}, token)
    assert (reply.status_code, reply.headers["x-csrf-token"], reply.get_data(as_text=True)) == (
        403, "Required", "CSRF token validation failed")
    history = get_json(client, "Devices('W-1001-3')/MeterReadingResults")["d"]["results"]
    assert history[-1]["MeterReadingResultID"] == "W-1001-3-20261120"


@pytest.mark.parametrize(("body", "code", "reason"), [
    ({"DeviceID": "W-1001-3", "ReadingResult": "430.000", "ReadingDateTime": NOV_27}, "ISU_UMC/READING_REJECTED",
     "Wskazanie jest niższe niż ostatni odczyt (436,482 m³)."),
    ({"DeviceID": "W-1001-1", "ReadingResult": "9999", "ReadingDateTime": NOV_27}, "ISU_UMC/READING_REJECTED",
     "Wodomierz SW19-0042187 został zdemontowany – nie można zgłosić odczytu."),
    ({"DeviceID": "W-1001-3", "ReadingResult": "440", "ReadingDateTime": "/Date(1796083200000)/"},
     "ISU_UMC/READING_REJECTED", "Data odczytu nie może być późniejsza niż dzisiejsza."),
    ({"DeviceID": "W-1001-3", "ReadingResult": "12,5", "ReadingDateTime": NOV_27}, "ISU_UMC/READING_INVALID",
     "Nieprawidłowe wskazanie wodomierza."),
    ({"DeviceID": "W-1001-3", "ReadingResult": "440", "ReadingDateTime": "yesterday"}, "ISU_UMC/READING_INVALID",
     "Nieprawidłowa data odczytu."),
])
def test_refused_readings_are_400_with_the_utilitys_polish_reason(client, body, code, reason):
    reply = _post(client, body)
    assert reply.status_code == 400
    assert reply.get_json()["error"] == {"code": code, "message": {"lang": "pl", "value": reason}}


def test_reading_for_an_unknown_device_is_404(client):
    reply = _post(client, {"DeviceID": "W-9999-1", "ReadingResult": "1", "ReadingDateTime": NOV_27})
    assert reply.status_code == 404 and reply.get_json()["error"]["code"] == "/IWBEP/CM_MGW_RT/020"


@pytest.mark.parametrize(("method", "path"), [("POST", "Invoices"), ("DELETE", "Invoices('INV-202611-00117')"),
                                              ("PUT", "Accounts('K-1001')")])
def test_other_writes_are_405(client, method, path):
    reply = client.open(ROOT + path, method=method, headers={**JSON, "x-csrf-token": _token(client)}, json={})
    assert reply.status_code == 405 and reply.get_json()["error"]["code"] == "/IWBEP/CM_MGW_RT/021"
