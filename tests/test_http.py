"""ErpHttp: the limits every ERP call is held to, whichever adapter makes it."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from typing import Any, Iterator, cast

import pytest
import requests
import responses

from adapters.core.errors import ErpBadResponse, ErpNotSent, ErpUnavailable
from adapters.core.settings import ErpSettings
from adapters.wire.http import ErpHttp

URL = "http://erp.test/api/thing"


def sent_with(request: Any) -> dict[str, Any]:
    """The keyword arguments `responses` saw the request sent with (its documented `req_kwargs`)."""
    return cast(dict[str, Any], request.req_kwargs)


@pytest.fixture
def erp_http() -> ErpHttp:
    return ErpHttp(ErpSettings(url="http://erp.test", connect_timeout=1, read_timeout=1, deadline=2))


@responses.activate
def test_a_reply_is_read_whole(erp_http):
    responses.get(URL, body=b"{}", content_type="application/json")
    reply = erp_http.send("op", "GET", URL, idempotent=True)
    assert (reply.status, reply.content, reply.content_type) == (200, b"{}", "application/json")


@responses.activate
def test_every_call_carries_connect_and_read_timeouts(erp_http):
    responses.get(URL, body=b"{}")
    erp_http.send("op", "GET", URL, idempotent=True)
    assert sent_with(responses.calls[0].request)["timeout"] == (1, 1)


@responses.activate
def test_a_reply_over_the_size_cap_is_refused():
    small = ErpHttp(ErpSettings(url="http://erp.test", max_response_bytes=1000))
    responses.get(URL, body=b"x" * 1001)
    with pytest.raises(ErpBadResponse, match="larger than 1000"):
        small.send("op", "GET", URL, idempotent=True)


@responses.activate
def test_a_read_that_failed_in_transport_is_tried_once_more(erp_http):
    responses.get(URL, body=requests.ConnectionError("refused"))
    responses.get(URL, body=b"ok")
    assert erp_http.send("op", "GET", URL, idempotent=True).content == b"ok"
    assert len(responses.calls) == 2


@responses.activate
def test_a_read_is_tried_at_most_twice(erp_http):
    responses.get(URL, status=503)
    assert erp_http.send("op", "GET", URL, idempotent=True).status == 503
    assert len(responses.calls) == 2


@responses.activate
def test_a_write_is_never_retried(erp_http):
    responses.post(URL, body=requests.ReadTimeout("slow"))
    with pytest.raises(ErpUnavailable, match="timed out"):
        erp_http.send("submit", "POST", URL, idempotent=False)
    assert len(responses.calls) == 1


@responses.activate
def test_a_write_answered_with_5xx_is_not_retried(erp_http):
    responses.post(URL, status=500)
    assert erp_http.send("submit", "POST", URL, idempotent=False).status == 500
    assert len(responses.calls) == 1


@responses.activate
def test_errors_do_not_name_the_erp_host(erp_http):
    responses.get(URL, body=requests.ConnectionError("erp.test refused"))
    with pytest.raises(ErpUnavailable) as raised:
        erp_http.send("op", "GET", URL, idempotent=True)
    assert "erp.test" not in str(raised.value)


def test_a_refused_connection_says_the_request_never_left():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    erp_http = ErpHttp(ErpSettings(url=url, connect_timeout=1, read_timeout=1), session=requests.Session())
    with pytest.raises(ErpNotSent, match="connection refused"):
        erp_http.send("submit", "POST", url, idempotent=False, data=b"{}")


@responses.activate
def test_a_connect_timeout_says_the_request_never_left(erp_http):
    responses.post(URL, body=requests.ConnectTimeout("connect timed out"))
    with pytest.raises(ErpNotSent):
        erp_http.send("submit", "POST", URL, idempotent=False)


@pytest.fixture
def hang_up() -> Iterator[str]:
    """An ERP that reads the whole request, then closes the connection without a word."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    thread.join(timeout=2)
    listener.close()


def test_a_connection_dropped_after_sending_may_have_reached_the_erp(hang_up):
    erp_http = ErpHttp(ErpSettings(url=hang_up, connect_timeout=1, read_timeout=1), session=requests.Session())
    with pytest.raises(ErpUnavailable, match="connection failed") as raised:
        erp_http.send("submit", "POST", hang_up, idempotent=False, data=b"{}")
    assert not isinstance(raised.value, ErpNotSent)


@pytest.fixture
def blackhole() -> Iterator[str]:
    """An address that takes connections (the kernel's backlog) and never answers a byte."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"


def test_a_silent_erp_costs_a_read_no_more_than_its_deadline_retry_included(blackhole):
    """The first attempt waits the read timeout (1 s); the retry may only wait what is left of the 1.5 s."""
    erp_http = ErpHttp(ErpSettings(url=blackhole, read_timeout=1, deadline=1.5), session=requests.Session())
    started = time.monotonic()
    with pytest.raises(ErpUnavailable):
        erp_http.send("op", "GET", blackhole, idempotent=True)
    assert time.monotonic() - started < 1.5 + 0.3


@responses.activate
def test_an_attempt_never_waits_longer_than_the_deadline_allows():
    erp_http = ErpHttp(ErpSettings(url="http://erp.test", connect_timeout=5, read_timeout=10, deadline=2))
    responses.get(URL, body=b"{}")
    erp_http.send("op", "GET", URL, idempotent=True)
    connect, read = sent_with(responses.calls[0].request)["timeout"]
    assert 1.9 < connect <= 2 and 1.9 < read <= 2


class _DripHandler(http.server.BaseHTTPRequestHandler):
    """Answers one byte every 0.2 s: each gap is within the read timeout, the whole reply is not."""

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        for _ in range(100):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dripping_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DripHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_slow_drip_is_cut_off_at_the_deadline(dripping_server):
    erp_http = ErpHttp(ErpSettings(url=dripping_server, read_timeout=1, deadline=1), session=requests.Session())
    started = time.monotonic()
    with pytest.raises(ErpUnavailable, match="deadline"):
        erp_http.send("op", "GET", dripping_server, idempotent=False)
    assert time.monotonic() - started < 2.5
