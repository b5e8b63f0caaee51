"""Hypothesis strategies for the SOAP requests, read from ibok-erp.xsd itself: each request element's sequence,
each simple type's facets (lengths, pattern, enumeration, bounds, fraction digits), so the fuzz follows the
contract as written, not the simulator's idea of it."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
NS = {"xs": XS}
# Characters XML 1.0 can carry: no controls (bar tab and newline), no surrogates.
XML_TEXT = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\t\n")
Ids = dict[str, st.SearchStrategy[str]]


@dataclass(frozen=True)
class Facets:
    """A simple type's restriction, as far as the strategies need it."""

    base: str
    min_length: int = 0
    max_length: int | None = None
    pattern: str | None = None
    enumeration: tuple[str, ...] = ()
    min_inclusive: Decimal | None = None
    fraction_digits: int | None = None


class ContractTypes:
    """The XSD's named types, and a strategy of valid values (as XML text or child elements) for each."""

    def __init__(self, xsd: Path) -> None:
        root = etree.parse(str(xsd)).getroot()
        self.namespace = root.get("targetNamespace")
        self.simple = {node.get("name"): _facets(node) for node in root.iterfind("xs:simpleType", NS)}
        self.complex = {node.get("name"): node for node in root.iterfind("xs:complexType", NS)}
        self.elements = {node.get("name"): node for node in root.iterfind("xs:element", NS)}

    def request(self, name: str, ids: Ids, loose: bool = False) -> st.SearchStrategy[Any]:
        """The request element `name` as an lxml element; an `ids` strategy may stand in for a field by name;
        `loose` lets any leaf be any text, so requests the XSD refuses are generated too."""
        node = self.elements[name]
        sequence = node.find("xs:complexType/xs:sequence", NS)
        if sequence is None:
            sequence = self.complex[_local(node.get("type"))].find("xs:sequence", NS)
        return self._sequence(name, sequence, ids, loose)

    def _sequence(self, tag: str, sequence: Any, ids: Ids, loose: bool) -> st.SearchStrategy[Any]:
        parts = [self._occurrences(child, ids, loose) for child in sequence.iterfind("xs:element", NS)]
        return st.tuples(*parts).map(lambda children: self._element(tag, [c for group in children for c in group]))

    def _occurrences(self, node: Any, ids: Ids, loose: bool) -> st.SearchStrategy[list[Any]]:
        low = int(node.get("minOccurs", "1"))
        high = node.get("maxOccurs", "1")
        one = self._child(node, ids, loose)
        return st.lists(one, min_size=low, max_size=3 if high == "unbounded" else min(int(high), 3))

    def _child(self, node: Any, ids: Ids, loose: bool) -> st.SearchStrategy[Any]:
        name, type_name = node.get("name"), _local(node.get("type"))
        if type_name in self.complex:
            return self._sequence(name, self.complex[type_name].find("xs:sequence", NS), ids, loose)
        text = ids[name] if name in ids else self.text(type_name)
        if loose:
            text = text | st.text(XML_TEXT, max_size=70)
        return text.map(lambda value: self._element(name, [], value))

    def text(self, type_name: str) -> st.SearchStrategy[str]:
        """Valid lexical values of a named or built-in simple type."""
        facets = self.simple.get(type_name) or Facets(base=type_name)
        return _lexical(facets)

    def _element(self, name: str, children: list[Any], text: str | None = None) -> Any:
        element = etree.Element(f"{{{self.namespace}}}{name}")
        element.text = text
        element.extend(children)
        return element


def _local(qname: str | None) -> str:
    return (qname or "").rpartition(":")[2]


def _facets(node: Any) -> Facets:
    restriction = node.find("xs:restriction", NS)

    def value(facet: str) -> str | None:
        found = restriction.find(f"xs:{facet}", NS)
        return None if found is None else found.get("value")

    return Facets(
        base=_local(restriction.get("base")),
        min_length=int(value("minLength") or 0),
        max_length=None if value("maxLength") is None else int(value("maxLength") or 0),
        pattern=value("pattern"),
        enumeration=tuple(item.get("value") for item in restriction.iterfind("xs:enumeration", NS)),
        min_inclusive=None if value("minInclusive") is None else Decimal(value("minInclusive") or 0),
        fraction_digits=None if value("fractionDigits") is None else int(value("fractionDigits") or 0),
    )


def _lexical(facets: Facets) -> st.SearchStrategy[str]:
    if facets.enumeration:
        return st.sampled_from(facets.enumeration)
    if facets.pattern:
        return st.from_regex(f"^{facets.pattern}$", fullmatch=True)
    if facets.base == "date":
        return st.dates().map(lambda day: day.isoformat())
    if facets.base == "boolean":
        return st.sampled_from(["true", "false", "1", "0"])
    if facets.base == "base64Binary":
        return st.binary(max_size=64).map(lambda data: base64.b64encode(data).decode("ascii"))
    if facets.base in ("decimal", "long"):
        return _number(facets)
    return st.text(XML_TEXT, min_size=facets.min_length, max_size=facets.max_length or 80)


def _number(facets: Facets) -> st.SearchStrategy[str]:
    places = 0 if facets.base == "long" else facets.fraction_digits if facets.fraction_digits is not None else 4
    low = facets.min_inclusive
    numbers = st.decimals(min_value=low, max_value=Decimal("99999999"), places=places, allow_nan=False)
    return numbers.map(lambda number: format(number, "f"))
