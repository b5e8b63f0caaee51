"""Logging with a correlation id: every line of one request carries the same id, the ERP gets it as a
header, and an error page shows it, so a customer's call, our log and the ERP's log can be matched."""

from __future__ import annotations

import itertools
import logging
import os
import re
import time

from flask import Flask, current_app, g, request
from werkzeug.wrappers import Response

from adapters.wire.http import CORRELATION_HEADER, correlation_id

INCOMING_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
LOG_FORMAT = "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"
requests_log = logging.getLogger("gateway.requests")


class RequestIds:
    """A process's request ids: a random prefix drawn once (again in a forked child), then a counter, so no
    request waits on a system call for randomness. The ids only match log lines; they grant nothing, so
    being guessable costs nothing."""

    def __init__(self) -> None:
        self._start()
        os.register_at_fork(after_in_child=self._start)

    def _start(self) -> None:
        self._prefix = os.urandom(4).hex()
        self._numbers = itertools.count()

    def next(self) -> str:
        return f"{self._prefix}{next(self._numbers) % 2**32:08x}"


request_ids = RequestIds()


class CorrelationFilter(logging.Filter):
    """Stamps each record with the id of the request (or "-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get() or "-"
        return True


def begin_request() -> None:
    """Take a well-formed id from the header only where a trusted proxy sets it, else make one; start the
    request's clock. An id a client offered is logged apart, under ours, never used as the reference."""
    offered = request.headers.get(CORRELATION_HEADER, "")
    trusted = bool(current_app.config["CORRELATION_ID_FROM_PROXY"]) and INCOMING_ID.fullmatch(offered)
    value = offered if trusted else request_ids.next()
    g.correlation_token = correlation_id.set(value)
    g.correlation_id = value
    g.request_started = time.monotonic()
    if offered and not trusted:
        _log_offered(offered)


def _log_offered(offered: str) -> None:
    """A well-formed id is shown for matching with the client's own logs; anything else only by its length,
    so no client text reaches a log line."""
    shown = offered if INCOMING_ID.fullmatch(offered) else f"(malformed, {len(offered)} characters)"
    requests_log.info("%s offered by the client, not used: %s", CORRELATION_HEADER, shown)


def end_request(_error: BaseException | None = None) -> None:
    """The id is the request's alone: lines logged after it (a worker's own) carry none."""
    token = g.pop("correlation_token", None)
    if token is not None:
        correlation_id.reset(token)


def finish_request(response: Response) -> Response:
    """The id back in a response header, and the request's log line."""
    if "correlation_id" in g:
        response.headers[CORRELATION_HEADER] = g.correlation_id
        _log_request(response)
    return response


def _log_request(response: Response) -> None:
    """One line per request, so the reference on any page leads to the log; refusals (4xx) and failures
    (5xx) as warnings. The route's pattern, never the path: a reset link's token is in the path, and a
    crafted path could forge log lines."""
    route = request.url_rule.rule if request.url_rule is not None else "(no route)"
    milliseconds = (time.monotonic() - g.get("request_started", time.monotonic())) * 1000
    level = logging.WARNING if response.status_code >= 400 else logging.INFO
    requests_log.log(level, "%s %s %d %.0f ms", request.method, route, response.status_code, milliseconds)


def configure_logging(level: str) -> None:
    """One handler on the root logger, with the id on every line; safe to call more than once."""
    root = logging.getLogger()
    if not any(isinstance(f, CorrelationFilter) for handler in root.handlers for f in handler.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(CorrelationFilter())
        root.addHandler(handler)
    root.setLevel(level)


def init_logging(app: Flask) -> None:
    if not app.testing:
        configure_logging(str(app.config.get("LOG_LEVEL", "INFO")))
