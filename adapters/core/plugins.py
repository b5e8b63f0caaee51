"""Finds a class IT named among the entry points of a group: the payment operators and SMS gateways plug in so."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any


def plugin_class(group: str, name: str, base: type, missing: type[LookupError], what: str) -> type[Any]:
    """The class behind a name in `group`; `missing` (naming what IT asked for) when none is, or it is no `base`."""
    matches = [ep for ep in entry_points(group=group) if ep.name == name]
    if not matches:
        known = ", ".join(sorted(ep.name for ep in entry_points(group=group)))
        raise missing(f"no {what} named {name!r}; known: {known}")
    cls = matches[0].load()
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise missing(f"{name!r} is not a {what}: it does not implement {base.__name__}")
    return cls
