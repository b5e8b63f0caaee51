"""Reading a mapping file's fields: each checked against the record the contract's schema loads, compiled into
the producers of adapters/kit/mapping/fields.py."""

from __future__ import annotations

from typing import Any, Mapping

from adapters.kit.mapping.converters import CONVERTERS
from adapters.kit.mapping.fields import Concatenated, Items, Nested, Producer, Record, Value
from adapters.kit.mapping.operations import fetcher
from adapters.kit.mapping.reading import Reader
from adapters.kit.mapping.schema import FieldShape, RecordShape

VALUE_KEYS = {"path", "param", "value", "hook", "convert", "enum", "default"}
LIST_KEYS = {"items", "fields", "convert", "request", "paging", "unique"}


class FieldReader(Reader):
    """A record's fields: known to the contract, required ones given a source, values checked where the
    contract lists them."""

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
