"""Calls every read operation of the port for one customer and times it: what IT runs after configuring."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpNotOffered
from adapters.core.operations import OPERATIONS, IdFrom
from adapters.core.port import BillingPort

NOT_OFFERED = "not offered"
# An id no customer has: the checks and the recording ask for it to see "not found" answered.
UNKNOWN_CUSTOMER = "K-0000"


@dataclass(frozen=True)
class CheckResult:
    operation: str
    status: str  # "ok", "failed", "skipped" or "not offered" (the ERP has no such operation: not a failure)
    seconds: float
    detail: str
    required: bool = True  # an ERP must offer it; an optional one that fails leaves its pages out

    @property
    def failed(self) -> bool:
        return self.status == "failed"


class _Checker:
    """Runs the reads in an order where each one can take its id from an earlier answer."""

    def __init__(self, port: BillingPort, customer_id: str) -> None:
        self.port = port
        self.customer_id = customer_id
        self.results: dict[str, CheckResult] = {}

    def call(self, operation: str, *args: Any, absent_ok: bool = False) -> Any:
        method: Callable[..., Any] = getattr(self.port, operation)
        started = time.perf_counter()
        try:
            answer = method(self.customer_id, *args)
        except ErpNotFound as error:
            status, detail = ("ok", "none held") if absent_ok else ("failed", error.message)
            self._record(operation, status, started, detail)
            return None
        except ErpNotOffered:
            self.skip(operation, "the ERP does not offer it", status=NOT_OFFERED)
            return None
        except ErpError as error:
            self._record(operation, "failed", started, failure_detail(error))
            return None
        self._record(operation, "ok", started, _describe(answer))
        return answer

    def call_for_first(self, operation: str, items: Any, absent_ok: bool = False) -> Any:
        """Fetch the first listed item's detail; a list that failed or came back empty skips it."""
        if not items:
            self.skip(operation, "skipped: nothing listed to fetch")
            return None
        return self.call(operation, items[0].id, absent_ok=absent_ok)

    def skip(self, operation: str, why: str, status: str = "skipped") -> None:
        self.results[operation] = CheckResult(operation, status, 0.0, why, OPERATIONS[operation].required)

    def _record(self, operation: str, status: str, started: float, detail: str) -> None:
        seconds = time.perf_counter() - started
        self.results[operation] = CheckResult(operation, status, seconds, detail, OPERATIONS[operation].required)


def failure_detail(error: ErpError) -> str:
    """What failed, for IT: a reply that does not fit names its field (never its value), it will not pass by itself."""
    if isinstance(error, ErpBadResponse) and error.field:
        return f"{type(error).__name__}: the reply does not fit the contract at {error.field}: {error.message}"
    return f"{type(error).__name__}: {error.message}"


def _describe(answer: Any) -> str:
    if isinstance(answer, list):
        return f"{len(answer)} item(s)"
    if hasattr(answer, "content"):
        return f"{len(answer.content)} bytes, {answer.content_type}"
    return "ok"


def check_operations(port: BillingPort, customer_id: str) -> list[CheckResult]:
    """Every operation, in the table's order, each taking its id from an earlier answer; writes are skipped
    so a check never changes ERP data, and what the ERP does not offer is not asked for."""
    checker = _Checker(port, customer_id)
    answers: dict[str, Any] = {}
    for name, operation in OPERATIONS.items():
        if not port.offers(name):
            checker.skip(name, "the ERP does not offer it", status=NOT_OFFERED)
        elif operation.write:
            checker.skip(name, "skipped: a write (the check never changes ERP data)")
        elif operation.id_from is None:
            answers[name] = checker.call(name)
        else:
            answers[name] = checker.call_for_first(name, *_candidates(operation.id_from, answers))
    return [checker.results[name] for name in OPERATIONS]


def _candidates(source: IdFrom, answers: dict[str, Any]) -> tuple[list[Any], bool]:
    """The listed items to take an id from, those with the preferred attribute first; an item without it may
    well have nothing to fetch (a contract without a scan), so 'not found' is then an answer."""
    items = list(answers.get(source.listing) or [])
    if source.prefer is None:
        return items, False
    return [item for item in items if getattr(item, source.prefer)] or items, True
