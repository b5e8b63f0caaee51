"""Logging with a correlation id: every line of one request carries the same id, the ERP gets it as a
header, and an error page shows it, so a customer's call, our log and the ERP's log can be matched."""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, g, request
from werkzeug.wrappers import Response

from adapters.http import CORRELATION_HEADER, correlation_id

INCOMING_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
LOG_FORMAT = "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"


class CorrelationFilter(logging.Filter):
    """Stamps each record with the id of the request (or "-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get() or "-"
        return True


def _begin() -> None:
    """Take a well-formed id from a trusted proxy's header, else make one."""
    offered = request.headers.get(CORRELATION_HEADER, "")
    value = offered if INCOMING_ID.fullmatch(offered) else uuid.uuid4().hex[:16]
    g.correlation_token = correlation_id.set(value)
    g.correlation_id = value


def _end(_error: BaseException | None = None) -> None:
    token = g.pop("correlation_token", None)
    if token is not None:
        correlation_id.reset(token)


def _echo(response: Response) -> Response:
    if "correlation_id" in g:
        response.headers[CORRELATION_HEADER] = g.correlation_id
    return response


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
    app.before_request(_begin)
    app.teardown_request(_end)
    app.after_request(_echo)
