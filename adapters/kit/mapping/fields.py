"""How a mapping file builds a record from a node of the ERP's reply: each field's producer, compiled at start-up.

A record is written in the reference contract's wire names (docs/erp-contract.md) and then loaded by the kit's
`load_reply`, which checks every field; a value a converter cannot read is a FieldError that names the record
field and the ERP path it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol

from adapters.kit.mapping.converters import ConvertError
from adapters.kit.mapping.paths import Path, PathMismatch


class FieldError(Exception):
    """A value that does not fit, with where it sits in the record (outermost first) and in the reply."""

    def __init__(self, where: list[str], message: str) -> None:
        super().__init__(where, message)
        self.where = where
        self.message = message

    def inside(self, name: str) -> FieldError:
        self.where.insert(0, name)
        return self


class Producer(Protocol):
    def __call__(self, node: Any, call: Any) -> Any: ...


@dataclass(frozen=True)
class Value:
    """A value from a path, a call parameter, a constant or a hook, then converted, then looked up in an enum
    table; `default` stands in for an absent value."""

    source: str  # what the file said, for error messages
    path: Path | None = None
    param: str | None = None
    constant: Any = None
    hook: Callable[[Any, Any], Any] | None = None
    convert: Callable[[Any], Any] | None = None
    enum: Mapping[str, Any] | None = None
    default: Any = None

    def __call__(self, node: Any, call: Any) -> Any:
        value = self._raw(node, call)
        if value is None:
            return self.default
        try:
            if self.convert is not None:
                value = self.convert(value)
            if self.enum is not None and value is not None:
                value = self._lookup(value)
        except ConvertError as error:
            raise FieldError([], f"{error} (from {self.source})") from None
        return self.default if value is None else value

    def _raw(self, node: Any, call: Any) -> Any:
        if self.path is not None:
            return self.path.get(node)
        if self.param is not None:
            return call.params.get(self.param)
        if self.hook is not None:
            return self.hook(node, call)
        return self.constant

    def _lookup(self, value: Any) -> Any:
        assert self.enum is not None
        key = str(value).lower() if isinstance(value, bool) else str(value)
        if key in self.enum:
            return self.enum[key]
        if "*" in self.enum:
            return self.enum["*"]
        raise ConvertError("a code the enum table does not list")


@dataclass(frozen=True)
class Record:
    """A record's fields in the contract's wire names; an absent value is left out, so the schema says whether
    the field may be missing."""

    fields: tuple[tuple[str, Producer], ...]

    def __call__(self, node: Any, call: Any) -> dict[str, Any]:
        built = {}
        for name, produce in self.fields:
            try:
                value = produce(node, call)
            except FieldError as error:
                raise error.inside(name) from None
            if value is not None:
                built[name] = value
        return built


@dataclass(frozen=True)
class Nested:
    """An object field (an address): its own fields, read from the node at `at`."""

    at: Path
    record: Record

    def __call__(self, node: Any, call: Any) -> Any:
        inner = self.at.get(node)
        return None if inner is None else self.record(inner, call)


@dataclass(frozen=True)
class Items:
    """One source of a list field: the items at `items`, in the node or in the pages of a request of its own
    (`fetch`), those repeating a `unique` value left out, each built as a record (or converted, for plain
    values)."""

    items: Path
    build: Producer
    fetch: Callable[[Any], list[Any]] | None = None  # call -> the pages to read the items from
    unique: Path | None = None

    def __call__(self, node: Any, call: Any) -> list[Any]:
        found = []
        for page in self.fetch(call) if self.fetch is not None else [node]:
            try:
                found.extend(self.items.each(page))
            except PathMismatch as error:
                raise FieldError([], f"{error.message} (at {error.where})") from None
        if self.unique is not None:
            found = distinct(found, self.unique)
        return [self._one(index, item, call) for index, item in enumerate(found)]

    def _one(self, index: int, item: Any, call: Any) -> Any:
        try:
            return self.build(item, call)
        except FieldError as error:
            raise error.inside(str(index)) from None


def distinct(items: list[Any], key: Path) -> list[Any]:
    """The first item of each value at `key`: a premise reached through two contracts is one premise."""
    seen: set[str] = set()
    kept = []
    for item in items:
        value = str(key.get(item))
        if value not in seen:
            seen.add(value)
            kept.append(item)
    return kept


@dataclass(frozen=True)
class Concatenated:
    """A list field filled from several sources in turn (a ledger of invoices, then payments)."""

    parts: tuple[Items, ...]

    def __call__(self, node: Any, call: Any) -> list[Any]:
        result: list[Any] = []
        offset = 0
        for part in self.parts:
            try:
                found = part(node, call)
            except FieldError as error:
                if error.where and error.where[0].isdigit():
                    error.where[0] = str(int(error.where[0]) + offset)
                raise
            result.extend(found)
            offset += len(found)
        return result
