"""Request templates of a mapping file: a path and query with `{name}` (the call's parameters, in the contract's wire
names) and `{@path}` (a value of the item being joined), each value quoted whole when the request is made."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import quote, urlencode

from adapters.core.errors import ErpNotFound
from adapters.kit.mapping.paths import Path

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Characters OData writes literally in a query ($filter=AccountID eq 'K-1001'); every other one is escaped.
QUERY_SAFE = "$'(),:"


@dataclass(frozen=True)
class Template:
    """A text with placeholders, split once at start-up into literal parts and the names between them."""

    text: str
    parts: tuple[str, ...] = field(init=False)
    names: tuple[str, ...] = field(init=False)
    item_paths: Mapping[str, Path] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(PLACEHOLDER.split(self.text)[::2]))
        names = tuple(PLACEHOLDER.findall(self.text))
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "item_paths", {name: Path(name[1:]) for name in names if name.startswith("@")})

    def fill(self, values: Mapping[str, Any], item: Any, quoting: Callable[[str], str]) -> str | None:
        """The text with each value put in by `quoting`; None when a value is absent, empty or only dots
        (a path would then name another object; a query parameter is left out)."""
        filled = [self.parts[0]]
        for name, literal in zip(self.names, self.parts[1:]):
            value = self.item_paths[name].get(item) if name in self.item_paths else values.get(name)
            if value is None or not str(value).strip("."):
                return None
            filled.append(quoting(str(value)))
            filled.append(literal)
        return "".join(filled)


@dataclass(frozen=True)
class Request:
    """One HTTP request of an operation, checked at start-up; `odata` doubles single quotes in values, as an
    OData string literal needs."""

    method: str
    path: Template
    query: tuple[tuple[str, Template], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    odata: bool = False

    def names(self) -> set[str]:
        return {name for template in (self.path, *(t for _, t in self.query)) for name in template.names}

    def url(self, operation: str, base_url: str, values: Mapping[str, Any], item: Any = None) -> str:
        """The whole URL: a path value quoted whole (an empty or dots-only one names no object), the query
        written into the URL so recordings and replays see it as the ERP does."""
        path = self.path.fill(values, item, self._in_path)
        if path is None:
            raise ErpNotFound(operation, "no such object")
        pairs = []
        for name, template in self.query:
            value = template.fill(values, item, self._literal)
            if value is not None:
                pairs.append((name, value))
        query = urlencode(pairs, quote_via=quote, safe=QUERY_SAFE)
        return f"{base_url}{path}?{query}" if query else f"{base_url}{path}"

    def _literal(self, value: str) -> str:
        return value.replace("'", "''") if self.odata else value

    def _in_path(self, value: str) -> str:
        return quote(self._literal(value), safe="")
