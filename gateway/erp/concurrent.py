"""Several ERP calls for one page at once: the page waits for the slowest, not for their sum."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from flask import current_app

from adapters.core.errors import ErpError, ErpUnavailable

MAX_WORKERS = 16
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


@dataclass(frozen=True)
class Outcome:
    """One call's answer, or the ERP error that took its place: a page shows what it has."""

    value: Any = None
    error: ErpError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def page_deadline() -> float:
    """Seconds a page waits for its concurrent ERP calls (PAGE_DEADLINE)."""
    return float(current_app.config["PAGE_DEADLINE"])


def _pool() -> ThreadPoolExecutor:
    """Made on first use, so each worker process (after gunicorn forks) has threads of its own."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="erp-call")
        return _executor


def gather(calls: Mapping[str, Callable[[], Any]], timeout: float) -> dict[str, Outcome]:
    """Run the calls concurrently; one still running after `timeout` seconds counts as unavailable.

    Each call runs in a copy of this request's context, so the cache can report when data was read.
    """
    futures = {name: _pool().submit(contextvars.copy_context().run, call) for name, call in calls.items()}
    wait(futures.values(), timeout=timeout)
    return {name: _outcome(name, future) for name, future in futures.items()}


def _outcome(name: str, future: Future[Any]) -> Outcome:
    if not future.done():
        future.cancel()
        return Outcome(error=ErpUnavailable(name, "no answer within the page's deadline"))
    error = future.exception()
    if isinstance(error, ErpError):
        return Outcome(error=error)
    if error is not None:
        raise error
    return Outcome(value=future.result())
