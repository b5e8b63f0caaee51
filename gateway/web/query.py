"""Query parameters through a marshmallow schema: a value that does not fit is dropped with a clear
message, the page still renders with the rest, and the view answers 400 instead of failing."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Mapping

from flask import request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

MAX_PARAM_LENGTH = 200
# Distinct queries kept loaded per process: most pages are opened with no or the same few filters.
QUERIES_KEPT = 512


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


def parse_query(kind: type[QuerySchema], labels: Mapping[str, Any],
                args: Mapping[str, str] | None = None) -> ParsedQuery:
    """Load the query; each field that fails validation falls back to its default, with a message naming it.
    An over-long value is dropped before anything is kept of it, so only its name can reach the cache."""
    given = {key: value for key, value in (args if args is not None else request.args).items() if value != ""}
    too_long = tuple(sorted(key for key, value in given.items() if len(value) > MAX_PARAM_LENGTH))
    kept = tuple((key, value) for key, value in given.items() if key not in too_long)
    values, rejected = _load(kind, kept, too_long)
    return ParsedQuery(dict(values), [_invalid(labels.get(name, name)) for name in rejected])


@lru_cache(maxsize=QUERIES_KEPT)
def _load(kind: type[QuerySchema], raw_items: tuple[tuple[str, str], ...],
          too_long: tuple[str, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The loaded values and the names of the fields dropped, kept per query: loading is a fiftieth of a
    cached list page (BENCHMARKS.md, figure 1), and the schemas read nothing but the query."""
    schema = schema_of(kind)
    raw = dict(raw_items)
    try:
        values, bad = schema.load(raw), set()
    except ValidationError as error:
        bad = set(error.messages) if isinstance(error.messages, dict) else set(raw)
        values = schema.load({key: value for key, value in raw.items() if key not in bad})
    return values, tuple(sorted((bad | set(too_long)) & set(schema.fields)))


def _invalid(label: Any) -> str:
    return _("The value given for “%(label)s” cannot be used, so it was ignored.", label=label)
