"""The mapping file's path expressions: where a value sits in an ERP's JSON reply (docs/adapters.md, "Mapping file").

A path is keys joined by dots, each key followed by any number of `[n]` (an index, negative from the end) or `[*]`
(every item of a list): `d.results[*].InvoiceID`, `AddressInfo.City`, `Lines[0].Amount`, `[*]` for a reply that is
a list, `@` for the node itself. Keys are letters, digits, `_`, `$` and `-`. Paths are compiled once, at start-up.
"""

from __future__ import annotations

import re
from typing import Any, Callable

KEY = r"[A-Za-z0-9_$-]+"
BRACKET = r"\[(?:-?\d+|\*)\]"
SEGMENT = re.compile(rf"^(?:{KEY}(?:{BRACKET})*|(?:{BRACKET})+)$")
STEP = re.compile(rf"({KEY})|\[(-?\d+|\*)\]")
EACH = "*"


class PathSyntaxError(ValueError):
    """A path the syntax above does not allow; the message says which part."""


class PathMismatch(Exception):
    """A reply without the structure a list path walks: `where` is the path up to the part that failed."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(where, message)
        self.where = where
        self.message = message


class Path:
    """One compiled path: `get` for a single value (None where absent), `each` for a path with `[*]`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.steps = parse(text)
        self.many = EACH in self.steps
        self.get: Callable[[Any], Any] = _getter(self.steps)

    def __repr__(self) -> str:
        return f"Path({self.text!r})"

    def each(self, node: Any) -> list[Any]:
        """Every value the path reaches, `[*]` flattening lists in order; a missing key or a non-list under
        `[*]` is PathMismatch, so a malformed reply is never taken for an empty one."""
        found = [node]
        done = ""
        for step in self.steps:
            found = _step_all(found, step, done or "@")
            done += f"[{step}]" if isinstance(step, int) or step == EACH else (f".{step}" if done else step)
        return found


def parse(text: str) -> tuple[str | int, ...]:
    """The path's steps: keys as str, indices as int, `[*]` as EACH."""
    if not isinstance(text, str) or not text.strip():
        raise PathSyntaxError("a path must be a non-empty string")
    if text == "@":
        return ()
    steps: list[str | int] = []
    for segment in text.split("."):
        if not SEGMENT.match(segment):
            raise PathSyntaxError(f"{segment!r} in {text!r} is not a key followed by [n] or [*]")
        for key, bracket in STEP.findall(segment):
            steps.append(key if key else (EACH if bracket == EACH else int(bracket)))
    return tuple(steps)


def _getter(steps: tuple[str | int, ...]) -> Callable[[Any], Any]:
    """A plain key path (most fields) walks dicts without looping over step kinds: a 1,000-item reply has
    ten thousand of these lookups."""
    if EACH in steps:
        return lambda node: None
    if all(isinstance(step, str) for step in steps):
        keys = tuple(str(step) for step in steps)
        if len(keys) == 1:
            key = keys[0]
            return lambda node: node.get(key) if isinstance(node, dict) else None
        return lambda node: _walk_keys(node, keys)
    return lambda node: _walk(node, steps)


def _walk_keys(node: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _walk(node: Any, steps: tuple[str | int, ...]) -> Any:
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return None
            node = node[step]
        elif isinstance(node, dict):
            node = node.get(step)
        else:
            return None
    return node


def _step_all(found: list[Any], step: str | int, where: str) -> list[Any]:
    result: list[Any] = []
    for node in found:
        if step == EACH:
            if not isinstance(node, list):
                raise PathMismatch(where, "expected a list")
            result.extend(node)
        elif isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                raise PathMismatch(where, f"expected a list with an item [{step}]")
            result.append(node[step])
        elif not isinstance(node, dict) or step not in node:
            raise PathMismatch(f"{where}.{step}" if where != "@" else step, "missing")
        else:
            result.append(node[step])
    return result
