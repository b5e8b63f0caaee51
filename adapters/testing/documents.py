"""Rewrites a JSON or XML text value by value, each seen by its key, element or attribute name.

Working on the decoded values means escaping (\\u0142, &#243;) cannot hide one, and no key or tag is ever
touched; both the credential and the personal-data passes go through here.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
OnValue = Callable[[str, Any], Any]


def rewrite_document(
    text: str, on_value: OnValue, on_text: Callable[[str], str] = str, before: Callable[[Any], None] | None = None
) -> str | None:
    """The text with each scalar value replaced by `on_value(name, value)` (mixed XML text by `on_text`);
    `before` sees a parsed XML tree first. None when the text is neither JSON nor XML."""
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except ValueError:
            return None
        return json.dumps(_walk_json(data, on_value), ensure_ascii=False)
    if stripped.startswith("<"):
        return _rewrite_xml(stripped, on_value, on_text, before)
    return None


def _walk_json(data: Any, on_value: OnValue, key: str = "") -> Any:
    if isinstance(data, dict):
        return {name: _walk_json(value, on_value, name) for name, value in data.items()}
    if isinstance(data, list):
        return [_walk_json(item, on_value, key) for item in data]
    if isinstance(data, (str, int, float)) and not isinstance(data, bool) and data != "":
        return on_value(key, data)
    return data


def _rewrite_xml(text: str, on_value: OnValue, on_text: Callable[[str], str], before: Any) -> str | None:
    try:
        root = etree.fromstring(text.encode("utf-8"), _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if before is not None:
        before(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text and len(element) == 0:
            element.text = on_value(etree.QName(element).localname, element.text)
        elif element.text:
            element.text = on_text(element.text)
        if element.tail:
            element.tail = on_text(element.tail)
        for attribute, value in element.attrib.items():
            element.set(attribute, on_value(etree.QName(attribute).localname, value))
    serialised = etree.tostring(root, encoding="unicode")
    return "<?xml version='1.0' encoding='utf-8'?>\n" + serialised if text.startswith("<?xml") else serialised
