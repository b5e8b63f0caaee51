"""Reading a mapping file (TOML) into compiled operations, checked whole before the first request: an unknown
operation, key or record field, a required field without a source, a bad path, an unknown converter or enum
table, a hook that cannot be imported, each stops the start with the file, the operation and the key named."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, Callable, Mapping

from adapters.core.operations import OPERATIONS
from adapters.kit.mapping.converters import CONVERTERS
from adapters.kit.mapping.fields import Concatenated, Items, Nested, Producer, Record, Value
from adapters.kit.mapping.hooks import resolve_hook
from adapters.kit.mapping.operations import Guard, Join, OperationMap, Paging, body_writer, fetcher, params_of
from adapters.kit.mapping.paths import Path, PathSyntaxError
from adapters.kit.mapping.schema import FieldShape, RecordShape, record_shape
from adapters.kit.mapping.templates import Request, Template
from adapters.kit.mapping.writes import WritePolicy

TOP_KEYS = {"mapping", "enums", "operations"}
MAPPING_KEYS = {"quote", "headers", "not_offered", "personal_fields", "secret_fields", "csrf_header", "csrf_path",
                "error_reason", "error_code"}
OPERATION_KEYS = {"request", "guard", "at", "items", "paging", "join", "owner", "fields", "hook", "after", "body",
                  "unique"}
REQUEST_KEYS = {"method", "path", "query", "headers"}
VALUE_KEYS = {"path", "param", "value", "hook", "convert", "enum", "default"}
LIST_KEYS = {"items", "fields", "convert", "request", "paging", "unique"}
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "MERGE"}


class MappingError(ValueError):
    """A mapping file the portal cannot use; the message names the file, the operation and the key."""


@dataclass(frozen=True)
class MappingFile:
    """A checked mapping: the operations it maps, and what recordings must hide in the ERP's own names."""

    source: str
    operations: Mapping[str, OperationMap]
    headers: Mapping[str, str]
    personal_fields: Mapping[str, str]
    secret_fields: frozenset[str]
    writes: WritePolicy


def load_mapping(path: str | FilePath) -> MappingFile:
    """The file read, checked and compiled; MappingError for anything wrong in it."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise MappingError(f"{source}: cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{source}: not valid TOML ({error})") from None
    return Loader(source, data).mapping()


class Loader:
    """Walks the file once; `where` in every error is the dotted key, as TOML writes it."""

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

    def mapping(self) -> MappingFile:
        self.table(self.data, "the file", TOP_KEYS)
        if self.settings.get("quote", "odata") != "odata":
            raise self.fail("mapping.quote", "the only quoting known is \"odata\"")
        operations = self.table(self.data.get("operations", {}), "operations", set(OPERATIONS))
        self.check_offered(operations)
        compiled = {name: self.operation(name, self.table(spec, f"operations.{name}", OPERATION_KEYS))
                    for name, spec in operations.items()}
        return MappingFile(self.source, compiled, self.strings(self.settings.get("headers", {}), "mapping.headers"),
                           self.personal(), frozenset(self.names("mapping.secret_fields")), self.writes())

    def writes(self) -> WritePolicy:
        settings = self.settings
        for key in ("csrf_header", "csrf_path"):
            if key in settings and not isinstance(settings[key], str):
                raise self.fail(f"mapping.{key}", "expected text")
        return WritePolicy(settings.get("csrf_header"), settings.get("csrf_path", "/"),
                           reason=self.path(settings.get("error_reason", "error.message"), "mapping.error_reason"),
                           code=self.path(settings.get("error_code", "error.code"), "mapping.error_code"))

    def check_offered(self, operations: Mapping[str, Any]) -> None:
        """Every operation is mapped or said not to be offered, so a forgotten one is not silently hidden."""
        not_offered = self.names("mapping.not_offered")
        for name in not_offered:
            if name not in OPERATIONS:
                raise self.fail("mapping.not_offered", f"unknown operation {name!r}")
            if name in operations:
                raise self.fail(f"operations.{name}", "mapped, but also listed in mapping.not_offered")
            if OPERATIONS[name].required:
                raise self.fail("mapping.not_offered", f"{name} is required: the portal cannot work without it")
        for name in OPERATIONS:
            if name not in operations and name not in not_offered:
                raise self.fail(f"operations.{name}", "not mapped: map it or list it in mapping.not_offered")

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

    def personal(self) -> dict[str, str]:
        """Personal fields as a list of names or {name: kind of stand-in}, as ERP_RECORD_PERSONAL_FIELDS."""
        value = self.settings.get("personal_fields", {})
        if isinstance(value, list):
            return dict.fromkeys(self.names("mapping.personal_fields"), "")
        return self.strings(value, "mapping.personal_fields")

    # --- operations --------------------------------------------------------------------------------------

    def operation(self, name: str, spec: Mapping[str, Any]) -> OperationMap:
        where = f"operations.{name}"
        params = params_of(OPERATIONS[name])
        shape = record_shape(name)
        hook = self.hook(spec["hook"], f"{where}.hook") if "hook" in spec else None
        request = self.request(spec["request"], f"{where}.request", params) if "request" in spec else None
        if hook is None and request is None:
            raise self.fail(f"{where}.request", "missing: an operation needs a request or a hook")
        return OperationMap(
            name=name, request=request, hook=hook,
            guard=self.guard(spec["guard"], f"{where}.guard", params) if "guard" in spec else None,
            record=self.operation_record(name, spec, where, shape, params, hook),
            at=self.path(spec.get("at", "@"), f"{where}.at"),
            items=self.items_path(spec, where, shape, hook),
            paging=self.paging(spec["paging"], f"{where}.paging") if "paging" in spec else None,
            join=self.join(spec["join"], f"{where}.join", params) if "join" in spec else None,
            owner=self.path(spec["owner"], f"{where}.owner") if "owner" in spec else None,
            body=body_writer(self, spec["body"], f"{where}.body", params) if "body" in spec else None,
            after=self.hook(spec["after"], f"{where}.after") if "after" in spec else None,
            unique=self.path(spec["unique"], f"{where}.unique") if "unique" in spec else None,
        )

    def operation_record(self, name: str, spec: Mapping[str, Any], where: str, shape: RecordShape | None,
                         params: set[str], hook: Any) -> Record | None:
        if shape is None:
            for key in ("fields", "items", "join", "paging", "at", "owner"):
                if key in spec:
                    raise self.fail(f"{where}.{key}", f"{name} answers with a file: it has no fields")
            return None
        if "body" in spec and not OPERATIONS[name].write:
            raise self.fail(f"{where}.body", f"{name} is a read: it sends no body")
        if hook is not None and "fields" not in spec:
            return None
        # An `after` hook may fill what the fields leave out (a balance summed from the entries).
        return self.record(self.table(spec.get("fields", {}), f"{where}.fields", None), f"{where}.fields", shape,
                           params, complete="after" not in spec)

    def items_path(self, spec: Mapping[str, Any], where: str, shape: RecordShape | None, hook: Any) -> Path | None:
        if shape is None or not shape.listed:
            if "items" in spec:
                raise self.fail(f"{where}.items", "this operation answers one record, not a list")
            return None
        if "items" not in spec:
            if hook is not None:
                return None
            raise self.fail(f"{where}.items", "missing: where the list's items are in the reply")
        return self.path(spec["items"], f"{where}.items", many=True)

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

    def guard(self, spec: Any, where: str, params: set[str]) -> Guard:
        request = self.request(spec, where, params, extra={"at", "owner"})
        if "owner" not in spec:
            raise self.fail(f"{where}.owner", "missing: the path of the customer id the object must carry")
        return Guard(request, self.path(spec.get("at", "@"), f"{where}.at"), self.path(spec["owner"], f"{where}.owner"))

    def join(self, spec: Any, where: str, params: set[str]) -> Join:
        request = self.request(spec, where, params, item=True, extra={"at", "as"})
        name = spec.get("as")
        if name is not None and not isinstance(name, str):
            raise self.fail(f"{where}.as", "expected a key to put the joined object under")
        return Join(request, self.path(spec.get("at", "@"), f"{where}.at"), name)

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

    # --- fields ------------------------------------------------------------------------------------------

    def record(self, spec: Mapping[str, Any], where: str, shape: RecordShape, params: set[str],
               complete: bool = True) -> Record:
        for name in spec:
            if name not in shape.fields:
                raise self.fail(f"{where}.{name}", f"unknown record field (known: {', '.join(shape.fields)})")
        for name, field in shape.fields.items():
            if complete and field.required and name not in spec:
                raise self.fail(f"{where}.{name}", "required by the contract but given no source")
        return Record(tuple((name, self.field(value, f"{where}.{name}", shape.fields[name], params))
                            for name, value in spec.items()))

    def field(self, spec: Any, where: str, shape: FieldShape, params: set[str]) -> Producer:
        if isinstance(spec, str):
            spec = {"path": spec}
        if isinstance(spec, list) and shape.listed:
            return Concatenated(tuple(self.list_part(part, f"{where}[{n}]", shape, params)
                                      for n, part in enumerate(spec)))
        if not isinstance(spec, Mapping):
            raise self.fail(where, "expected a path or a table")
        if shape.listed and "hook" not in spec:
            return self.list_part(spec, where, shape, params)
        if shape.record is not None and "fields" in spec:
            spec = self.table(spec, where, {"at", "fields"})
            return Nested(self.path(spec.get("at", "@"), f"{where}.at"),
                          self.record(self.table(spec["fields"], f"{where}.fields", None), f"{where}.fields",
                                      shape.record, params))
        return self.value(spec, where, shape, params)

    def list_part(self, spec: Any, where: str, shape: FieldShape, params: set[str]) -> Items:
        spec = self.table(spec, where, LIST_KEYS)
        if "items" not in spec:
            raise self.fail(f"{where}.items", "missing: where the list's items are")
        if shape.record is not None:
            build: Producer = self.record(self.table(spec.get("fields", {}), f"{where}.fields", None),
                                          f"{where}.fields", shape.record, params)
        else:
            build = self.value({"path": "@", "convert": spec.get("convert", "text")}, where, shape, params)
        items = self.path(spec["items"], f"{where}.items", many=True)
        paging = self.paging(spec["paging"], f"{where}.paging") if "paging" in spec else None
        if "request" not in spec:
            if paging is not None:
                raise self.fail(f"{where}.paging", "only a list with a request of its own has pages")
            fetch = None
        else:
            fetch = fetcher(self.request(spec["request"], f"{where}.request", params), paging, items)
        return Items(items, build, fetch, self.path(spec["unique"], f"{where}.unique") if "unique" in spec else None)

    def value(self, spec: Mapping[str, Any], where: str, shape: FieldShape, params: set[str]) -> Value:
        spec = self.table(spec, where, VALUE_KEYS)
        sources = [key for key in ("path", "param", "value", "hook") if key in spec]
        if len(sources) != 1:
            raise self.fail(where, "give exactly one of path, param, value or hook")
        if "param" in spec and spec["param"] not in params:
            raise self.fail(f"{where}.param", f"unknown parameter (known: {', '.join(sorted(params))})")
        convert = spec.get("convert")
        if convert is not None and convert not in CONVERTERS:
            raise self.fail(f"{where}.convert", f"unknown converter (known: {', '.join(CONVERTERS)})")
        return Value(
            source=f"{sources[0]} {spec[sources[0]]!r}" if sources[0] != "hook" else f"hook {spec['hook']}",
            path=self.path(spec["path"], f"{where}.path") if "path" in spec else None,
            param=spec.get("param"), constant=self.constant(spec.get("value"), f"{where}.value", shape),
            hook=self.hook(spec["hook"], f"{where}.hook") if "hook" in spec else None,
            convert=CONVERTERS[convert] if convert else None,
            enum=self.enum(spec["enum"], f"{where}.enum", shape) if "enum" in spec else None,
            default=self.constant(spec.get("default"), f"{where}.default", shape),
        )

    def constant(self, value: Any, where: str, shape: FieldShape) -> Any:
        if value is not None and shape.choices is not None and value not in shape.choices:
            raise self.fail(where, f"not one of the contract's values ({', '.join(sorted(shape.choices))})")
        return value

    def enum(self, name: Any, where: str, shape: FieldShape) -> Mapping[str, Any]:
        if not isinstance(name, str) or name not in self.enums:
            raise self.fail(where, f"unknown enum table {name!r} (known: {', '.join(sorted(self.enums))})")
        table = self.table(self.enums[name], f"enums.{name}", None)
        for code, value in table.items():
            self.constant(value, f"enums.{name}.{code}", shape)
        return dict(table)
