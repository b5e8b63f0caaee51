"""Correlation ids: one per request, on every log line, sent to the ERP, shown on error pages."""

from __future__ import annotations

import logging
import os
import re

import responses

from adapters.core.errors import ErpUnavailable
from adapters.core.settings import ErpSettings
from adapters.wire.http import CORRELATION_HEADER, ErpHttp
from gateway.app import create_app
from gateway.web.logs import CorrelationFilter, RequestIds


def test_every_response_carries_a_correlation_id(client):
    first, second = client.get("/sign-in"), client.get("/sign-in")
    assert len(first.headers[CORRELATION_HEADER]) == 16
    assert first.headers[CORRELATION_HEADER] != second.headers[CORRELATION_HEADER]


def test_request_ids_are_distinct_and_a_forked_worker_draws_its_own_prefix():
    ids = RequestIds()
    drawn = [ids.next() for _ in range(1000)]
    assert len(set(drawn)) == 1000 and all(len(value) == 16 and int(value, 16) >= 0 for value in drawn)
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child: as a gunicorn worker after the fork
        os.write(writing, ids.next().encode())
        os._exit(0)
    os.waitpid(child, 0)
    from_child = os.read(reading, 16).decode()
    os.close(reading)
    os.close(writing)
    assert from_child[:8] != drawn[0][:8] and from_child not in drawn


def test_a_well_formed_id_from_a_trusted_proxy_is_kept_and_a_malformed_one_replaced(app, client):
    app.config["CORRELATION_ID_FROM_PROXY"] = True
    assert client.get("/sign-in", headers={CORRELATION_HEADER: "abcdef12-3456"}).headers[CORRELATION_HEADER] == \
        "abcdef12-3456"
    assert client.get("/sign-in", headers={CORRELATION_HEADER: "<script>"}).headers[CORRELATION_HEADER] != "<script>"


def test_an_error_page_shows_a_reference_whose_log_line_carries_the_id(app, caplog):
    """The page's short reference (read out on the phone) finds the log line, and that line the request's id."""
    def erp_down():
        app.logger.warning("about to fail")
        raise ErpUnavailable("list_invoices", "timed out")

    app.add_url_rule("/erp-down", view_func=erp_down)
    caplog.handler.addFilter(CorrelationFilter())
    with caplog.at_level(logging.INFO):
        response = app.test_client().get("/erp-down")
    correlation = response.headers[CORRELATION_HEADER]
    shown = re.search(r'class="reference">([0-9A-Z]{4}-[0-9A-Z]{4})<', response.get_data(as_text=True))
    assert shown and correlation not in response.get_data(as_text=True)
    [line] = [record for record in caplog.records if shown.group(1) in record.getMessage()]
    assert getattr(line, "correlation_id", None) == correlation
    assert any(getattr(record, "correlation_id", None) == correlation for record in caplog.records
               if record.getMessage() == "about to fail")


@responses.activate
def test_the_erp_is_sent_the_requests_id(app):
    responses.get("http://erp.test/x", body=b"{}")

    def call_erp():
        ErpHttp(ErpSettings(url="http://erp.test")).send("op", "GET", "http://erp.test/x", idempotent=True)
        return "ok"

    app.add_url_rule("/call-erp", view_func=call_erp)
    response = app.test_client().get("/call-erp")
    assert responses.calls[0].request.headers[CORRELATION_HEADER] == response.headers[CORRELATION_HEADER]


def test_a_post_refused_for_its_csrf_token_still_has_an_id_and_a_log_line(config, billing, mailbox, caplog):
    app = create_app({**config, "WTF_CSRF_ENABLED": True}, billing=billing)
    caplog.handler.addFilter(CorrelationFilter())
    with caplog.at_level(logging.WARNING, logger="gateway.requests"):
        response = app.test_client().post("/sign-in", data={"login": "kowalski", "password": "x"})
    assert response.status_code == 400
    reference = response.headers[CORRELATION_HEADER]
    lines = [(record.getMessage().split(" ")[:3], getattr(record, "correlation_id", None))
             for record in caplog.records if record.name == "gateway.requests"]
    assert lines == [(["POST", "/sign-in", "400"], reference)]
