"""A mapping file's operations once compiled: the requests, where records sit, paging, joins, guards, bodies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Mapping

from adapters.core.operations import Operation
from adapters.core.records import MessageDraft, MessageKind, ReadingSubmission
from adapters.kit.mapping.converters import WRITERS
from adapters.kit.mapping.fields import Record
from adapters.kit.mapping.paths import Path
from adapters.kit.mapping.templates import Request
from adapters.wire.payloads import request_params

# A write's content as the portal hands it over, by the argument's wire name: the names its body may use are
# those of these samples.
SAMPLES: Mapping[str, Any] = {
    "submission": ReadingSubmission(meter_id="", date=date(2026, 1, 1), value=Decimal(0), idempotency_key=""),
    "draft": MessageDraft(kind=MessageKind.INQUIRY, subject="", body="", idempotency_key=""),
}


def params_of(operation: Operation) -> set[str]:
    """The call's parameters in the contract's wire names: what `{name}` and `param` may name."""
    if operation.record:
        return set(request_params(operation, "", (SAMPLES[operation.args[0]],)))
    return {"customerId", *operation.args}


@dataclass(frozen=True)
class Guard:
    """A read made first to check that the object is the customer's (an ERP that serves any customer's
    invoice by its id): the value at `owner` must be the customer id, else the answer is not found."""

    request: Request
    at: Path
    owner: Path


@dataclass(frozen=True)
class Join:
    """One more request per item, its object put under `name` in the item (or merged into it)."""

    request: Request
    at: Path
    name: str | None


@dataclass(frozen=True)
class Paging:
    """Follow a next link at `next`, or ask page after page of `top` items until a short one."""

    next: Path | None
    top: int | None
    top_param: str
    skip_param: str
    max_pages: int


@dataclass(frozen=True)
class OperationMap:
    name: str
    request: Request | None
    hook: Callable[[Any], Any] | None
    guard: Guard | None
    record: Record | None
    at: Path
    items: Path | None
    paging: Paging | None
    join: Join | None
    owner: Path | None
    body: Callable[[Mapping[str, Any]], dict[str, Any]] | None
    after: Callable[[Any, Any], Any] | None = None
    unique: Path | None = None
    soap: Any = None  # a SoapCall: the WSDL operation instead of a request


def fetcher(request: Request, paging: Paging | None, items: Path) -> Callable[[Any], Any]:
    """A list field's own request (every page of it), made with the call's parameters."""
    return lambda call: call.pages(request, paging, items)


def body_writer(loader: Any, spec: Any, where: str, params: set[str]) -> Callable[[Mapping[str, Any]], dict]:
    """A write's JSON body: per key a template ("{meterId}" alone keeps the value's type), a parameter
    written by a writer ({param = "readingDate", write = "odata_date"}), or a constant ({value = "01"})."""
    table = loader.table(spec, where, None)
    parts = {key: _body_part(loader, value, f"{where}.{key}", params) for key, value in table.items()}
    return lambda values: {key: part(values) for key, part in parts.items()}


def _body_part(loader: Any, spec: Any, where: str, params: set[str]) -> Callable[[Mapping[str, Any]], Any]:
    if isinstance(spec, str):
        template = loader.template(spec, where, params, False)
        if template.parts == ("", "") and len(template.names) == 1:
            return lambda values: values.get(template.names[0])
        return lambda values: template.fill(values, None, str) or ""
    spec = loader.table(spec, where, {"param", "write", "value"})
    if "value" in spec:
        return lambda values: spec["value"]
    if spec.get("param") not in params:
        raise loader.fail(f"{where}.param", f"unknown parameter (known: {', '.join(sorted(params))})")
    writer = spec.get("write", "text")
    if writer not in WRITERS:
        raise loader.fail(f"{where}.write", f"unknown writer (known: {', '.join(WRITERS)})")
    write, name = WRITERS[writer], spec["param"]
    return lambda values: None if values.get(name) is None else write(values[name])
