"""Headers a client sends to steer the portal: an `X-Correlation-ID` of its own choosing is neither the
reference on its pages nor the id sent to the ERP, unless a trusted proxy is configured to set it."""

from __future__ import annotations

import logging

import pytest

from adapters.wire.http import CORRELATION_HEADER
from tests.hostile.checks import assert_safe, timed

CHOSEN = "ATTACKER-CHOSEN-ID-0001"


@pytest.mark.parametrize("path", ["/sign-in", "/no-such-page"])
def test_a_client_cannot_choose_the_correlation_id(client, logs, path):
    result = timed(client.get, path, headers={CORRELATION_HEADER: CHOSEN})
    assert_safe(result, logs, never=[CHOSEN], statuses=[200, 404])
    ours = result.response.headers[CORRELATION_HEADER]
    assert len(ours) == 16 and ours != CHOSEN
    apart = [record.getMessage() for record in logs.for_request(result.response, logging.INFO)]
    assert any(f"offered by the client, not used: {CHOSEN}" in line for line in apart)


def test_a_malformed_offered_id_is_logged_only_by_its_length(client, logs):
    forged = "x\r\n2026-01-01 INFO forged line"
    result = timed(client.get, "/sign-in", headers={CORRELATION_HEADER: forged.replace("\r\n", " ")})
    assert_safe(result, logs, never=["forged line"], statuses=[200])
    lines = [record.getMessage() for record in logs.for_request(result.response, logging.INFO)]
    assert any("(malformed, 29 characters)" in line for line in lines)
    assert not any("forged line" in line for line in lines)


def test_behind_a_trusted_proxy_its_id_is_the_reference(app, client):
    app.config["CORRELATION_ID_FROM_PROXY"] = True
    assert client.get("/sign-in", headers={CORRELATION_HEADER: CHOSEN}).headers[CORRELATION_HEADER] == CHOSEN


@pytest.mark.parametrize("protocol", ["soap", "rest"])
def test_the_erp_gets_the_portals_id_not_the_clients(portal, protocol):
    erp = portal(protocol)
    response = erp.client.get("/invoices/", headers={CORRELATION_HEADER: CHOSEN})
    assert response.status_code == 200
    assert erp.mock is not None and erp.erp_requests() > 0
    sent = {call.request.headers.get(CORRELATION_HEADER) for call in erp.mock.calls}
    assert sent == {response.headers[CORRELATION_HEADER]} and CHOSEN not in sent
