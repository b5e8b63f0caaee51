"""Calls every read operation of the port for one customer and times it: what IT runs after configuring."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from adapters.core.errors import ErpError, ErpNotFound
from adapters.core.port import OPERATIONS, WRITE_OPERATIONS, BillingPort


@dataclass(frozen=True)
class CheckResult:
    operation: str
    status: str  # "ok", "failed" or "skipped"
    seconds: float
    detail: str

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
        except ErpError as error:
            self._record(operation, "failed", started, f"{type(error).__name__}: {error.message}")
            return None
        self._record(operation, "ok", started, _describe(answer))
        return answer

    def call_for_first(self, operation: str, items: Any, absent_ok: bool = False) -> Any:
        """Fetch the first listed item's detail; a list that failed or came back empty skips it."""
        if not items:
            self.skip(operation, "skipped: nothing listed to fetch")
            return None
        return self.call(operation, items[0].id, absent_ok=absent_ok)

    def skip(self, operation: str, why: str) -> None:
        self.results[operation] = CheckResult(operation, "skipped", 0.0, why)

    def _record(self, operation: str, status: str, started: float, detail: str) -> None:
        self.results[operation] = CheckResult(operation, status, time.perf_counter() - started, detail)


def _describe(answer: Any) -> str:
    if isinstance(answer, list):
        return f"{len(answer)} item(s)"
    if hasattr(answer, "content"):
        return f"{len(answer.content)} bytes, {answer.content_type}"
    return "ok"


def check_operations(port: BillingPort, customer_id: str) -> list[CheckResult]:
    """Every operation, in the port's order; writes are skipped so a check never changes ERP data."""
    checker = _Checker(port, customer_id)
    checker.call("get_customer")
    contracts = checker.call("list_contracts") or []
    scanned = [contract for contract in contracts if contract.has_scan]
    checker.call_for_first("get_contract_scan", scanned or contracts, absent_ok=True)
    checker.call_for_first("list_readings", checker.call("list_meters"))
    invoices = checker.call("list_invoices")
    checker.call_for_first("get_invoice", invoices)
    checker.call_for_first("get_invoice_pdf", invoices)
    checker.call("get_settlements")
    checker.call_for_first("get_document", checker.call("list_documents"))
    checker.call("list_messages")
    for operation in sorted(WRITE_OPERATIONS):
        checker.skip(operation, "skipped: a write (the check never changes ERP data)")
    return [checker.results[op] for op in OPERATIONS if op in checker.results]
