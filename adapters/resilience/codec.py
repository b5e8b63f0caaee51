"""A safe JSON codec for the port's answers, so a shared cache never unpickles what it reads.

Answers are frozen records (adapters/core/records.py), lists and tuples of them, and plain values. Each
value that JSON cannot carry is written as a one-key object naming its kind; decoding builds only the
records and enums of that one module, by name, so a tampered cache entry can yield wrong data at worst,
never run code.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

from adapters.core import records

_RECORDS: dict[str, type] = {
    name: kind for name, kind in vars(records).items()
    if isinstance(kind, type) and kind.__module__ == records.__name__
    and (dataclasses.is_dataclass(kind) or issubclass(kind, enum.Enum))
}


class UnreadableEntry(ValueError):
    """A cache entry that is not what this codec wrote: treated as a miss."""


def _record(value: Any) -> dict[str, Any]:
    name = type(value).__name__
    if _RECORDS.get(name) is not type(value):
        raise TypeError(f"not a record of the port: {name}")
    if isinstance(value, enum.Enum):
        return {"$enum": [name, value.value]}
    record: Any = value  # a dataclass of records.py, as the table lookup above showed
    fields = {field.name: _plain(getattr(record, field.name)) for field in dataclasses.fields(record)}
    return {"$record": [name, fields]}


def _plain(value: Any) -> Any:
    """The value as JSON-ready data."""
    if value is None or isinstance(value, (bool, int, float)) or type(value) is str:
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, tuple):
        return {"$tuple": [_plain(item) for item in value]}
    return _record(value)


def _build(kind: str, fields: dict[str, Any]) -> Any:
    record = _RECORDS.get(kind)
    if record is None or not dataclasses.is_dataclass(record):
        raise UnreadableEntry(f"unknown record {kind!r}")
    return record(**{name: _value(item) for name, item in fields.items()})


def _enum(kind: str, value: Any) -> Any:
    member = _RECORDS.get(kind)
    if member is None or not issubclass(member, enum.Enum):
        raise UnreadableEntry(f"unknown enum {kind!r}")
    return member(value)


_TAGGED: dict[str, Callable[[Any], Any]] = {
    "$decimal": Decimal,
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$bytes": lambda text: base64.b64decode(text, validate=True),
    "$tuple": lambda items: tuple(_value(item) for item in items),
    "$enum": lambda pair: _enum(*pair),
    "$record": lambda pair: _build(*pair),
}


def _value(data: Any) -> Any:
    if isinstance(data, list):
        return [_value(item) for item in data]
    if isinstance(data, dict):
        if len(data) != 1 or next(iter(data)) not in _TAGGED:
            raise UnreadableEntry("an object that is no tagged value")
        tag, content = next(iter(data.items()))
        return _TAGGED[tag](content)
    return data


def dumps(value: Any) -> str:
    """JSON text of an answer; TypeError for anything that is no record of the port or plain value."""
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """The answer `dumps` wrote; UnreadableEntry for anything else."""
    try:
        return _value(json.loads(text))
    except UnreadableEntry:
        raise
    except (ValueError, TypeError, ArithmeticError) as error:
        raise UnreadableEntry(type(error).__name__) from error
