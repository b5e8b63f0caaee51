"""What a mapping file may fill: each operation's record fields in the contract's wire names, read from the
schemas that load every reply, so the file is checked against exactly what `load_reply` will ask for."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from marshmallow import Schema, fields

from adapters.wire.schemas import REPLIES


@dataclass(frozen=True)
class FieldShape:
    """One record field: required or not, a list or not, its own record if it has one, its allowed values."""

    required: bool
    listed: bool = False
    record: RecordShape | None = None
    choices: frozenset[str] | None = None


@dataclass(frozen=True)
class RecordShape:
    fields: dict[str, FieldShape]
    listed: bool = False  # the operation answers a list of these


def record_shape(operation: str) -> RecordShape | None:
    """The shape of an operation's record (of one item, for a list); None for a file."""
    reply = REPLIES[operation]
    if "content" in reply.schema.fields:
        return None
    shape = _shape(type(reply.schema))
    return RecordShape(shape.fields, listed=reply.key is not None)


@lru_cache(maxsize=None)
def _shape(schema: type[Schema]) -> RecordShape:
    return RecordShape({field.data_key or name: _field(field) for name, field in schema().fields.items()})


def _field(field: fields.Field) -> FieldShape:
    required = bool(field.required)
    if isinstance(field, fields.List):
        inner = field.inner
        record = _shape(type(inner.schema)) if isinstance(inner, fields.Nested) else None
        return FieldShape(required, listed=True, record=record)
    if isinstance(field, fields.Nested):
        return FieldShape(required, record=_shape(type(field.schema)))
    if isinstance(field, fields.Enum):
        return FieldShape(required, choices=frozenset(str(member.value) for member in field.enum))
    return FieldShape(required)
