"""A SOAP reply read straight into the plain dict the marshmallow schemas load, guided by those schemas.

zeep would build a typed object for every element of a reply, only for it to be flattened back into a dict
for the schemas. The contract's replies need none of it: an element per field, named as the JSON
keys (adapters/contract/ibok-erp.xsd), a list as repeated elements. So a good reply is read here: a List
field collects its repeated elements, a Nested field recurses, base64Binary content is decoded, and every
other element gives its text, which the schemas parse exactly as they parse the REST adapter's JSON
strings (xs:int and xs:boolean become int and bool, which the schemas require). As before, an element
that is absent, empty or nil is left out (its default then applies), and one the schema does not know is
ignored. Faults, and replies of any other shape, are mapped by adapters/soap/envelope.py.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from lxml import etree
from marshmallow import Schema, fields

from adapters.core.errors import ErpBadResponse
from adapters.wire.schemas import BinaryField

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _local(tag: Any) -> str | None:
    """An element's name without its namespace; None for what is not an element (a processing instruction)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else None


def _by_wire_name(schema: Schema) -> dict[str, fields.Field]:
    return {field.data_key or name: field for name, field in schema.fields.items()}


def read_object(operation: str, element: etree._Element, schema: Schema) -> dict[str, Any]:
    """The element's children as the dict `schema` loads."""
    known = _by_wire_name(schema)
    plain: dict[str, Any] = {}
    for child in element:
        name = _local(child.tag)
        field = known.get(name) if name else None
        if name is None or field is None or child.get(XSI_NIL) in ("true", "1"):
            continue
        if isinstance(field, fields.List):
            item = _value(operation, child, field.inner)
            if item is not None:
                plain.setdefault(name, []).append(item)
            continue
        value = _value(operation, child, field)
        if value is not None:
            plain[name] = value
    return plain


def read_list(operation: str, element: etree._Element, schema: Schema, key: str) -> dict[str, Any]:
    """A list reply: the repeated `key` elements, each as the dict `schema` loads, under `key`."""
    items = [read_object(operation, child, schema) for child in element if _local(child.tag) == key]
    return {key: items}


def _value(operation: str, element: etree._Element, field: fields.Field) -> Any:
    if isinstance(field, fields.Nested):
        return read_object(operation, element, field.schema)
    if len(element):
        return {}  # elements where a value belongs: the schema refuses it, naming the field
    if element.text is None:
        return None
    if isinstance(field, BinaryField):
        try:
            return base64.b64decode(element.text)  # as zeep decodes xs:base64Binary: line breaks allowed
        except ValueError:  # binascii.Error included
            raise ErpBadResponse(operation, "content is not base64", field=_local(element.tag) or "") from None
    return _typed(element.text, field)


def _typed(text: str, field: fields.Field) -> Any:
    """xs:int and xs:boolean as zeep gave them (the schemas take those strictly); a value that is neither is
    passed on as text for the schema to refuse. Everything else stays text, as in the REST adapter's JSON."""
    if isinstance(field, fields.Integer):
        stripped = text.strip()
        return int(stripped) if INTEGER.fullmatch(stripped) else text
    if isinstance(field, fields.Boolean):
        return BOOLEANS.get(text.strip(), text)
    return text
