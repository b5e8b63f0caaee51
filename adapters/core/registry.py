"""Finds the adapter class IT named: an entry point of the group `ibok.adapters`, or a dotted path.

The built-in `soap` and `rest` adapters are entry points of this project's own package, so a
utility's own adapter package plugs in exactly the same way.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from adapters.core.port import BillingPort

ENTRY_POINT_GROUP = "ibok.adapters"


class AdapterNotFound(LookupError):
    """The configured adapter name matches no entry point and no importable class."""


def available_adapters() -> list[str]:
    """Names IT can put in IBOK_ERP_ADAPTER, besides a dotted path."""
    return sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))


def resolve_adapter(name: str) -> type[BillingPort]:
    """Return the class behind a name; it must implement BillingPort."""
    matches = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if matches:
        cls = matches[0].load()
    elif "." in name or ":" in name:
        cls = _import_dotted(name)
    else:
        raise AdapterNotFound(f"no ERP adapter named {name!r}; known: {', '.join(available_adapters())}")
    if not (isinstance(cls, type) and issubclass(cls, BillingPort)):
        raise AdapterNotFound(f"{name!r} is not a BillingPort implementation")
    return cls


def _import_dotted(path: str) -> object:
    module_name, _, attribute = path.replace(":", ".").rpartition(".")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise AdapterNotFound(f"cannot import ERP adapter {path!r}: {error}") from None
