"""`{% cache "name", value, … %}…{% endcache %}`: a part of a page rendered once per ERP answer; and
`{% layoutcache "name", value, … %}…{% endlayoutcache %}`: a part of the layout rendered once for everyone.

A `cache` block's output is kept per customer shown (of an account's linked ones, the active) first, then
language, mount point, the tag's place and the values named. A list among the values stands for the ERP records
in it, by identity: the cache answers with the same record objects until it asks the ERP again, and the entry
holds them, so their ids stay theirs while it lives. Anything else (a name, a set of overdue ids) counts by value.

A `layoutcache` block holds nothing of a visitor's (the utility's name, the menu, the footer): it is kept per
language, mount point, the tag's place and the values named, for signed-in customers and visitors alike.
Written as Jinja's documented fragment-cache extension.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Hashable, Sequence

from cachetools import LRUCache
from flask import has_request_context, request
from flask_login import current_user
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

from gateway.accounts.active import active_customer_id
from gateway.web.i18n import page_language

# Fragments kept per process, least recently used first to go: few, as each holds a whole list's HTML.
FRAGMENTS_KEPT = 64
# Layout parts kept per process: a few per language, mount point and page (the menu marks the current page).
LAYOUT_PARTS_KEPT = 256


def key_part(value: Any) -> Hashable:
    """A list by the identity of its items, anything else by value."""
    return tuple(map(id, value)) if isinstance(value, list) else value


class FragmentCache(Extension):
    """The `cache` and `layoutcache` tags: the block's output kept in bounded LRU stores shared by the
    per-language copies."""

    tags = {"cache", "layoutcache"}

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.kept: LRUCache[Hashable, tuple[tuple[Sequence[Any], ...], str]] = LRUCache(maxsize=FRAGMENTS_KEPT)
        self.layout: LRUCache[Hashable, str] = LRUCache(maxsize=LAYOUT_PARTS_KEPT)
        self.lock = threading.Lock()

    def parse(self, parser: Parser) -> nodes.Node:
        tag = next(parser.stream)
        parts: list[nodes.Expr] = [nodes.Const(f"{parser.name}:{tag.lineno}"), parser.parse_expression()]  # where, what
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements((f"name:end{tag.value}",), drop_needle=True)
        method = "fragment" if tag.value == "cache" else "layout_part"
        return nodes.CallBlock(self.call_method(method, [nodes.List(parts)]), [], [], body).set_lineno(tag.lineno)

    def language(self) -> str:
        return getattr(self.environment, "language", None) or page_language()

    def fragment(self, parts: list[Any], caller: Callable[[], str]) -> str:
        """The kept output for these parts, else the block rendered (and kept when a customer is signed in)."""
        if not (has_request_context() and current_user.is_authenticated):
            return caller()
        key = (active_customer_id(current_user), self.language(), request.script_root, *map(key_part, parts))
        with self.lock:
            found = self.kept.get(key)
        if found is not None:
            return found[1]
        output = caller()
        anchors = tuple(tuple(part) for part in parts if isinstance(part, list))
        with self.lock:
            self.kept[key] = (anchors, output)
        return output

    def layout_part(self, parts: list[Any], caller: Callable[[], str]) -> str:
        """The kept output for the page's language, mount point and these parts, else the block rendered and kept."""
        if not has_request_context():
            return caller()
        key = (self.language(), request.script_root, *parts)
        with self.lock:
            found = self.layout.get(key)
        if found is None:
            found = caller()
            with self.lock:
                self.layout[key] = found
        return found
