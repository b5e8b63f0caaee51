"""What every hostile case must show: no 500, no stack trace, nothing of the ERP's host or of a local file in
the page, an answer within a bound, and a log line carrying the request's correlation id."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import pytest

from adapters.wire.http import CORRELATION_HEADER
from tests.hostile.erp import ERP_HOST

# What a leaked stack trace, ERP address or local file looks like in a page.
NEVER_SHOWN = ("Traceback", 'File "/', ERP_HOST, "root:x:0:0", "/bin/bash", "werkzeug.exceptions", "zeep.", "lxml")
# Seconds any page may take when the ERP answers at once (the ERP's own slowness is bounded separately).
QUICK = 5.0


@dataclass
class Timed:
    response: Any
    seconds: float

    @property
    def page(self) -> str:
        return self.response.get_data().decode("utf-8", errors="replace")


def timed(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Timed:
    """The answer, read whole and closed (as a server does once it is sent), and the time it took to come."""
    started = time.monotonic()
    response = call(*args, **kwargs)
    seconds = time.monotonic() - started
    response.get_data()
    response.close()
    return Timed(response, seconds)


class Logs:
    """The log records of a test, each stamped with the correlation id it was written under."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    def for_request(self, response: Any, level: int = logging.INFO) -> list[logging.LogRecord]:
        reference = response.headers.get(CORRELATION_HEADER)
        assert reference, "the answer carries no correlation id"
        return [record for record in self.caplog.records
                if getattr(record, "correlation_id", None) == reference and record.levelno >= level]

    def text(self) -> str:
        return "\n".join(record.getMessage() for record in self.caplog.records)


def assert_safe(result: Timed, logs: Logs, *, limit: float = QUICK, log_level: int = logging.INFO,
                never: Iterable[str] = (), statuses: Iterable[int] | None = None) -> None:
    """The checks every hostile case shares; `never` adds the case's own markers."""
    response, page = result.response, result.page
    assert response.status_code != 500 and response.status_code < 600, page[:2000]
    if statuses is not None:
        assert response.status_code in set(statuses), f"{response.status_code}: {page[:1000]}"
    for marker in (*NEVER_SHOWN, *never):
        assert marker not in page, f"the page shows {marker!r}"
        for name, value in response.headers.items():
            assert marker not in value, f"header {name} shows {marker!r}"
    assert result.seconds < limit, f"took {result.seconds:.2f} s (limit {limit} s)"
    assert logs.for_request(response, log_level), f"no log line at level {log_level} carries the correlation id"
