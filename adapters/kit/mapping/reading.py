"""The checks every part of a mapping file shares: tables and their keys, paths, hooks, requests, paging; each
error names the file and the dotted key, as TOML writes it."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from adapters.kit.mapping.hooks import resolve_hook
from adapters.kit.mapping.operations import Paging
from adapters.kit.mapping.paths import Path, PathSyntaxError
from adapters.kit.mapping.templates import Request, Template

MAPPING_KEYS = {"quote", "headers", "not_offered", "personal_fields", "secret_fields", "csrf_header", "csrf_path",
                "error_reason", "error_code", "wsdl"}
REQUEST_KEYS = {"method", "path", "query", "headers"}
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "MERGE"}


class MappingError(ValueError):
    """A mapping file the portal cannot use; the message names the file, the operation and the key."""


class Reader:
    """Reads one file's parts; `where` in every error is the dotted key."""

    def __init__(self, source: str, data: Mapping[str, Any]) -> None:
        self.source = source
        self.data = data
        self.settings = self.table(data.get("mapping", {}), "mapping", MAPPING_KEYS)
        self.odata = self.settings.get("quote") == "odata"
        self.enums = self.table(data.get("enums", {}), "enums", None)

    def fail(self, where: str, message: str) -> MappingError:
        return MappingError(f"{self.source}: {where}: {message}")

    def table(self, value: Any, where: str, allowed: set[str] | None) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, "expected a table")
        unknown = sorted(set(value) - allowed) if allowed is not None else []
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}", f"unknown key (known: {', '.join(sorted(allowed or ()))})")
        return value

    def names(self, where: str) -> list[str]:
        value = self.settings.get(where.split(".")[-1], [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(where, "expected a list of names")
        return value

    def strings(self, value: Any, where: str) -> dict[str, str]:
        table = self.table(value, where, None)
        if not all(isinstance(item, str) for item in table.values()):
            raise self.fail(where, "expected text values")
        return dict(table)

    def path(self, text: Any, where: str, many: bool = False) -> Path:
        try:
            path = Path(text)
        except PathSyntaxError as error:
            raise self.fail(where, f"bad path: {error}") from None
        if path.many and not many:
            raise self.fail(where, f"bad path: {text!r} names one value, [*] is for lists")
        return path

    def hook(self, name: Any, where: str) -> Callable[..., Any]:
        try:
            return resolve_hook(name)
        except ValueError as error:
            raise self.fail(where, str(error)) from None

    def request(self, spec: Any, where: str, params: set[str], item: bool = False,
                extra: set[str] = frozenset()) -> Request:  # type: ignore[assignment]
        spec = self.table(spec, where, REQUEST_KEYS | extra)
        if not isinstance(spec.get("path"), str) or not spec["path"].startswith("/"):
            raise self.fail(f"{where}.path", "missing: a path starting with / (joined to ERP_URL)")
        method = spec.get("method", "GET")
        if method not in METHODS:
            raise self.fail(f"{where}.method", f"unknown method (known: {', '.join(sorted(METHODS))})")
        query = self.strings(spec.get("query", {}), f"{where}.query")
        request = Request(method, self.template(spec["path"], f"{where}.path", params, item),
                          tuple((key, self.template(text, f"{where}.query.{key}", params, item))
                                for key, text in query.items()),
                          {**self.strings(self.settings.get("headers", {}), "mapping.headers"),
                           **self.strings(spec.get("headers", {}), f"{where}.headers")}, self.odata)
        return request

    def template(self, text: str, where: str, params: set[str], item: bool) -> Template:
        try:
            template = Template(text)
        except PathSyntaxError as error:
            raise self.fail(where, f"bad path in a placeholder: {error}") from None
        for name in template.names:
            if name.startswith("@") and not item:
                raise self.fail(where, f"{{{name}}}: an item's value is known only in a join")
            if not name.startswith("@") and name not in params:
                raise self.fail(where, f"unknown placeholder {{{name}}} (known: {', '.join(sorted(params))})")
        return template

    def paging(self, spec: Any, where: str) -> Paging:
        spec = self.table(spec, where, {"next", "top", "top_param", "skip_param", "max_pages"})
        if ("next" in spec) == ("top" in spec):
            raise self.fail(where, "say either next (a next-link path) or top (a page size)")
        for key in ("top", "max_pages"):
            if key in spec and (not isinstance(spec[key], int) or spec[key] < 1):
                raise self.fail(f"{where}.{key}", "expected a whole number above 0")
        return Paging(self.path(spec["next"], f"{where}.next") if "next" in spec else None, spec.get("top"),
                      str(spec.get("top_param", "$top")), str(spec.get("skip_param", "$skip")),
                      int(spec.get("max_pages", 100)))
