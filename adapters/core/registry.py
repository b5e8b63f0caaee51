"""Finds the adapter class IT named: an entry point of the group `ibok.adapters`, or a dotted path.

The built-in `soap` and `rest` adapters are entry points of this project's own package, so a
utility's own adapter package plugs in exactly the same way. A plugin may declare the kit version it was
written for (`kit_version = "1.0"`); one the portal's kit cannot serve is refused here, at start-up.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from adapters.core.port import BillingPort

ENTRY_POINT_GROUP = "ibok.adapters"
# The adapter kit's version (semver): a new name is a minor step, a changed or removed one a major step.
KIT_VERSION = "1.1.0"


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
    check_kit_version(name, getattr(cls, "kit_version", None))
    return cls


def check_kit_version(name: str, wanted: object) -> None:
    """A plugin written for kit X.Y runs on X.Z for Z >= Y: same major version, at least its minor one."""
    if wanted is None:
        return
    try:
        major, minor = _major_minor(str(wanted))
    except ValueError:
        raise AdapterNotFound(f"ERP adapter {name!r} declares kit_version {wanted!r}, not a version like \"1.0\"")
    have_major, have_minor = _major_minor(KIT_VERSION)
    if major != have_major or minor > have_minor:
        raise AdapterNotFound(f"ERP adapter {name!r} needs adapter kit {wanted}; this portal has kit {KIT_VERSION}")


def _major_minor(version: str) -> tuple[int, int]:
    parts = version.strip().split(".")
    if not 1 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
        raise ValueError(version)
    return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0


def _import_dotted(path: str) -> object:
    module_name, _, attribute = path.replace(":", ".").rpartition(".")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise AdapterNotFound(f"cannot import ERP adapter {path!r}: {error}") from None
