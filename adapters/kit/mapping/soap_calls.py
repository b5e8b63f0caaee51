"""SOAP operations in a mapping file: the WSDL operation and its parameters, templated from the call's, sent through
the kit's SoapService (any WSDL); the reply, as plain dicts and lists, is read by the same paths and fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

Values = Mapping[str, Any]


@dataclass(frozen=True)
class SoapCall:
    operation: str
    arguments: Callable[[Values], dict[str, Any]]


def soap_call(reader: Any, spec: Any, where: str, params: set[str]) -> SoapCall:
    """`soap = { operation = "ReadMultiple", params = { filter = [{ Field = "No", Criteria = "{customerId}" }] } }`."""
    spec = reader.table(spec, where, {"operation", "params"})
    if not isinstance(spec.get("operation"), str) or not spec["operation"]:
        raise reader.fail(f"{where}.operation", "missing: the WSDL operation to call")
    build = _compiled(reader, reader.table(spec.get("params", {}), f"{where}.params", None), f"{where}.params", params)
    return SoapCall(spec["operation"], build)


def _compiled(reader: Any, value: Any, where: str, params: set[str]) -> Callable[[Values], Any]:
    """Texts filled from the call ("{customerId}" alone keeps the value's type), tables and arrays walked."""
    if isinstance(value, str):
        template = reader.template(value, where, params, False)
        if template.parts == ("", "") and len(template.names) == 1:
            return lambda values: values.get(template.names[0])
        return lambda values: template.fill(values, None, str) if template.names else value
    if isinstance(value, Mapping):
        parts = {key: _compiled(reader, item, f"{where}.{key}", params) for key, item in value.items()}
        return lambda values: {key: part(values) for key, part in parts.items()}
    if isinstance(value, list):
        items = [_compiled(reader, item, f"{where}[{n}]", params) for n, item in enumerate(value)]
        return lambda values: [item(values) for item in items]
    return lambda values: value
