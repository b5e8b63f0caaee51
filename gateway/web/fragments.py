"""`{% cache "name", value, … %}…{% endcache %}`: a part of a page rendered once per ERP answer.

The output is kept per customer first, then language, mount point, the tag's place and the values named.
A list among the values stands for the ERP records in it, by identity: the cache answers with the same
record objects until it asks the ERP again, and the entry holds them, so their ids stay theirs while it
lives. Anything else (a name, a set of overdue ids) counts by value. Written as Jinja's documented
fragment-cache extension.
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

from gateway.web.i18n import page_language

# Fragments kept per process, least recently used first to go: few, as each holds a whole list's HTML.
FRAGMENTS_KEPT = 64


def key_part(value: Any) -> Hashable:
    """A list by the identity of its items, anything else by value."""
    return tuple(map(id, value)) if isinstance(value, list) else value


class FragmentCache(Extension):
    """The `cache` tag: the block's output kept in a bounded LRU store shared by the per-language copies."""

    tags = {"cache"}

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.kept: LRUCache[Hashable, tuple[tuple[Sequence[Any], ...], str]] = LRUCache(maxsize=FRAGMENTS_KEPT)
        self.lock = threading.Lock()

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        parts: list[nodes.Expr] = [nodes.Const(f"{parser.name}:{lineno}"), parser.parse_expression()]  # where, and what
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("fragment", [nodes.List(parts)]), [], [], body).set_lineno(lineno)

    def fragment(self, parts: list[Any], caller: Callable[[], str]) -> str:
        """The kept output for these parts, else the block rendered (and kept when a customer is signed in)."""
        if not (has_request_context() and current_user.is_authenticated):
            return caller()
        language = getattr(self.environment, "language", None) or page_language()
        key = (current_user.customer_id, language, request.script_root, *map(key_part, parts))
        with self.lock:
            found = self.kept.get(key)
        if found is not None:
            return found[1]
        output = caller()
        anchors = tuple(tuple(part) for part in parts if isinstance(part, list))
        with self.lock:
            self.kept[key] = (anchors, output)
        return output
