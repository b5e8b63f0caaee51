"""Reading a mapping file (TOML) into compiled operations, checked whole before the first request: an unknown
operation, key or record field, a required field without a source, a bad path, an unknown converter or enum
table, a hook that cannot be imported, each stops the start with the file, the operation and the key named."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, Mapping

from adapters.core.operations import OPERATIONS
from adapters.kit.mapping.field_reader import FieldReader
from adapters.kit.mapping.fields import Record
from adapters.kit.mapping.operations import Guard, Join, OperationMap, body_writer, params_of
from adapters.kit.mapping.paths import Path
from adapters.kit.mapping.reading import MappingError
from adapters.kit.mapping.schema import RecordShape, record_shape
from adapters.kit.mapping.soap_calls import SoapCall, soap_call
from adapters.kit.mapping.writes import WritePolicy

__all__ = ["MappingError", "MappingFile", "load_mapping"]

TOP_KEYS = {"mapping", "enums", "operations"}
OPERATION_KEYS = {"request", "soap", "guard", "at", "items", "paging", "join", "owner", "fields", "hook", "after",
                  "body", "unique"}
# What only an HTTP request of the file's own can do.
NOT_OVER_SOAP = ("guard", "paging", "join", "body")


@dataclass(frozen=True)
class MappingFile:
    """A checked mapping: the operations it maps, and what recordings must hide in the ERP's own names."""

    source: str
    operations: Mapping[str, OperationMap]
    headers: Mapping[str, str]
    personal_fields: Mapping[str, str]
    secret_fields: frozenset[str]
    writes: WritePolicy
    wsdl: str | None = None


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


class Loader(FieldReader):
    """Walks the file once: its settings, then each operation."""

    def __init__(self, source: str, data: Mapping[str, Any]) -> None:
        super().__init__(source, data)
        self.wsdl = self.wsdl_path(self.settings.get("wsdl"))

    def wsdl_path(self, value: Any) -> str | None:
        """A WSDL file, relative to the mapping file's folder, or a URL on the ERP (SoapService's rules)."""
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise self.fail("mapping.wsdl", "expected the path of the ERP's WSDL file")
        if value.startswith(("http://", "https://")):
            return value
        path = FilePath(self.source).parent / value
        if not path.is_file():
            raise self.fail("mapping.wsdl", f"no such file: {path}")
        return str(path)

    def mapping(self) -> MappingFile:
        self.table(self.data, "the file", TOP_KEYS)
        if self.settings.get("quote", "odata") != "odata":
            raise self.fail("mapping.quote", "the only quoting known is \"odata\"")
        operations = self.table(self.data.get("operations", {}), "operations", set(OPERATIONS))
        self.check_offered(operations)
        compiled = {name: self.operation(name, self.table(spec, f"operations.{name}", OPERATION_KEYS))
                    for name, spec in operations.items()}
        return MappingFile(self.source, compiled, self.strings(self.settings.get("headers", {}), "mapping.headers"),
                           self.personal(), frozenset(self.names("mapping.secret_fields")), self.writes(), self.wsdl)

    def writes(self) -> WritePolicy:
        settings = self.settings
        for key in ("csrf_header", "csrf_path"):
            if key in settings and not isinstance(settings[key], str):
                raise self.fail(f"mapping.{key}", "expected text")
        return WritePolicy(settings.get("csrf_header"), settings.get("csrf_path", "/"),
                           reason=self.path(settings.get("error_reason", "error.message"), "mapping.error_reason"),
                           code=self.path(settings.get("error_code", "error.code"), "mapping.error_code"))

    def check_offered(self, operations: Mapping[str, Any]) -> None:
        """Every required operation is mapped; an optional one the file does not map is not offered (`not_offered`
        says so explicitly), so a file written before the portal added an operation still starts."""
        not_offered = self.names("mapping.not_offered")
        for name in not_offered:
            if name not in OPERATIONS:
                raise self.fail("mapping.not_offered", f"unknown operation {name!r}")
            if name in operations:
                raise self.fail(f"operations.{name}", "mapped, but also listed in mapping.not_offered")
            if OPERATIONS[name].required:
                raise self.fail("mapping.not_offered", f"{name} is required: the portal cannot work without it")
        for name, operation in OPERATIONS.items():
            if operation.required and name not in operations:
                raise self.fail(f"operations.{name}", "required: map it, the portal cannot work without it")

    def personal(self) -> dict[str, str]:
        """Personal fields as a list of names or {name: kind of stand-in}, as ERP_RECORD_PERSONAL_FIELDS."""
        value = self.settings.get("personal_fields", {})
        if isinstance(value, list):
            return dict.fromkeys(self.names("mapping.personal_fields"), "")
        return self.strings(value, "mapping.personal_fields")

    def operation(self, name: str, spec: Mapping[str, Any]) -> OperationMap:
        where = f"operations.{name}"
        params = params_of(OPERATIONS[name])
        shape = record_shape(name)
        hook = self.hook(spec["hook"], f"{where}.hook") if "hook" in spec else None
        request = self.request(spec["request"], f"{where}.request", params) if "request" in spec else None
        soap = self.soap(name, spec, where, params) if "soap" in spec else None
        if [hook, request, soap].count(None) != 2:
            raise self.fail(f"{where}.request", "missing: an operation needs one of request, soap or hook"
                            if "request" not in spec else "give one of request, soap or hook, not more")
        return OperationMap(
            name=name, request=request, hook=hook, soap=soap,
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

    def soap(self, name: str, spec: Mapping[str, Any], where: str, params: set[str]) -> SoapCall:
        if not self.wsdl:
            raise self.fail("mapping.wsdl", f"missing: {where}.soap needs the ERP's WSDL file")
        if OPERATIONS[name].file is not None:
            raise self.fail(f"{where}.soap", f"{name} answers with a file: map it with a request")
        for key in NOT_OVER_SOAP:
            if key in spec:
                raise self.fail(f"{where}.{key}", "not over SOAP: only a request of the file's own has it")
        return soap_call(self, spec["soap"], f"{where}.soap", params)

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
