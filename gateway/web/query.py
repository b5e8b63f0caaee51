"""Query parameters through a marshmallow schema: a value that does not fit is dropped with a clear
message, the page still renders with the rest, and the view answers 400 instead of failing."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Mapping

from flask import request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

MAX_PARAM_LENGTH = 200


class QuerySchema(Schema):
    """Base for a page's query parameters: unknown ones are ignored, as a browser may add its own."""

    class Meta:
        unknown = EXCLUDE


def page_number() -> fields.Integer:
    return fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


@dataclass
class ParsedQuery:
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)

    @property
    def status(self) -> int:
        return 400 if self.errors else 200

    def add_error(self, message: str) -> None:
        self.errors.append(message)


@cache
def schema_of(kind: type[QuerySchema]) -> QuerySchema:
    """One instance per schema and process: building one copies every field, and loading changes none."""
    return kind()


@cache
def defaults_of(kind: type[QuerySchema]) -> dict[str, Any] | None:
    """What an empty query loads to, when no default is computed at load time (None then): most pages are opened
    without a query, and loading nothing through the schema costs as much as loading a filter."""
    schema = schema_of(kind)
    if any(callable(field.load_default) for field in schema.fields.values()):
        return None
    return schema.load({})


def parse_query(kind: type[QuerySchema], labels: Mapping[str, Any],
                args: Mapping[str, str] | None = None) -> ParsedQuery:
    """Load the query; each field that fails validation (or is over-long) falls back to its default, with a
    message naming it."""
    query = args if args is not None else request.args
    defaults = None if query else defaults_of(kind)
    if defaults is not None:
        return ParsedQuery(dict(defaults))
    given = {key: value for key, value in query.items() if value != ""}
    too_long = {key for key, value in given.items() if len(value) > MAX_PARAM_LENGTH}
    raw = {key: value for key, value in given.items() if key not in too_long}
    schema = schema_of(kind)
    try:
        values, bad = schema.load(raw), set()
    except ValidationError as error:
        bad = set(error.messages) if isinstance(error.messages, dict) else set(raw)
        values = schema.load({key: value for key, value in raw.items() if key not in bad})
    rejected = sorted((bad | too_long) & set(schema.fields))
    return ParsedQuery(values, [_invalid(labels.get(name, name)) for name in rejected])


def _invalid(label: Any) -> str:
    return _("The value given for “%(label)s” cannot be used, so it was ignored.", label=label)
