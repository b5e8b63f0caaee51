"""The conformance check's machinery: one finding per invariant and customer, and the typed-fields invariant.

`flask erp conformance` and the contract suite both run `run_conformance` in adapters/testing/invariants.py,
so what IT checks on their ERP is what the suite checks on the reference one.
Details name fields, ids and types, never a customer's data.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable, TypeVar

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpNotOffered
from adapters.core.operations import OPERATIONS
from adapters.core.port import BillingPort

PASS, FAIL, NOT_OFFERED, SKIPPED = "pass", "fail", "not offered", "skipped"
T = TypeVar("T")


@dataclass(frozen=True)
class Finding:
    operation: str
    invariant: str
    status: str  # PASS, FAIL, NOT_OFFERED or SKIPPED (nothing to check it on, or a write left out)
    detail: str = ""


class Violation(Exception):
    """An invariant that does not hold; the message says how, in ids and field names only."""


def expect(condition: bool, detail: str) -> None:
    """Raise a Violation saying `detail` unless the condition holds."""
    if not condition:
        raise Violation(detail)


def not_found(what: str, call: Callable[..., Any], *args: Any) -> None:
    """The contract's scoping: an id the customer may not see is ErpNotFound, never an answer."""
    try:
        call(*args)
    except ErpNotFound:
        return
    raise Violation(f"{what} was answered instead of ErpNotFound")


class Checker:
    """Runs invariants over one port and keeps a finding for each; an ERP error fails only the invariant."""

    def __init__(self, port: BillingPort) -> None:
        self.port = port
        self.findings: list[Finding] = []

    def check(
        self, operation: str, invariant: str, customer_id: str, test: Callable[..., T], *args: Any
    ) -> T | None:
        """The test's answer when the invariant holds, else None with the failure (or "not offered") noted."""
        if not self.port.offers(operation):
            self.add(operation, invariant, NOT_OFFERED, "the ERP does not offer it")
            return None
        try:
            answer = test(*args)
        except ErpNotOffered:
            self.add(operation, invariant, NOT_OFFERED, "the ERP answered that it does not offer it")
            return None
        except Violation as violation:
            self.add(operation, invariant, FAIL, f"{customer_id}: {violation}")
            return None
        except ErpError as error:
            self.add(operation, invariant, FAIL, f"{customer_id}: {describe(error)}")
            return None
        self.add(operation, invariant, PASS)
        return answer

    def skip(self, operation: str, invariant: str, why: str) -> None:
        status = SKIPPED if self.port.offers(operation) else NOT_OFFERED
        self.add(operation, invariant, status, why if status == SKIPPED else "the ERP does not offer it")

    def add(self, operation: str, invariant: str, status: str, detail: str = "") -> None:
        self.findings.append(Finding(operation, invariant, status, detail))


def describe(error: ErpError) -> str:
    """The error's kind and the field a reply that does not fit names; its message may quote the ERP, so not that."""
    if isinstance(error, ErpBadResponse) and error.field:
        return f"{type(error).__name__} at {error.field}"
    return type(error).__name__


def summary(findings: Iterable[Finding]) -> dict[str, str]:
    """One status per operation, in the table's order: any fail fails it; not offered is not a failure."""
    statuses: dict[str, set[str]] = {name: set() for name in OPERATIONS}
    for finding in findings:
        statuses[finding.operation].add(finding.status)
    return {name: next((status for status in (FAIL, NOT_OFFERED, PASS) if status in seen), SKIPPED)
            for name, seen in statuses.items()}


def typed(answer: T) -> T:
    """The answer unchanged when every field has the contract's type (money Decimal, dates date), else a
    Violation naming the first fields that do not."""
    items = answer if isinstance(answer, list) else [answer]
    errors = [error for index, item in enumerate(items) for error in type_errors(item, f"[{index}]")]
    expect(not errors, "; ".join(errors[:3]))
    return answer


def type_errors(record: Any, where: str) -> list[str]:
    """Each field of a record whose value does not have its declared type, by its path."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        return [f"{where} is {type(record).__name__}, not a record"]
    hints = typing.get_type_hints(type(record))
    return [error for field in dataclasses.fields(record)
            for error in _mismatches(getattr(record, field.name), hints[field.name], f"{where}.{field.name}")]


def _mismatches(value: Any, hint: Any, where: str) -> list[str]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return [] if type(None) in typing.get_args(hint) else [f"{where} is missing"]
        hint = next(option for option in typing.get_args(hint) if option is not type(None))
        origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, tuple):
            return [f"{where} is {type(value).__name__}, not a tuple"]
        return [error for index, item in enumerate(value)
                for error in _mismatches(item, typing.get_args(hint)[0], f"{where}[{index}]")]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return type_errors(value, where) if isinstance(value, hint) else [f"{where} is not a {hint.__name__}"]
    # A datetime is a date and True an int to isinstance; the contract means neither.
    wrong = not isinstance(value, hint) or (hint is date and isinstance(value, datetime)) or (
        hint is int and isinstance(value, bool))
    return [f"{where} is {type(value).__name__}, not {hint.__name__}"] if wrong else []
