"""The navigation: each module's blueprint adds its own entry, so the menu never links to a missing page.

An entry names the ERP operations its page needs; the menu leaves it out when the ERP does not offer them, and
the module's views refuse (404) with `needs_operations`, so neither the menu nor an old link reaches a page
with nothing behind it. Templates ask `offers(...)` before showing a button or a card.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from flask import Blueprint, Flask, current_app, has_request_context, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import LazyString

from adapters.core.errors import ErpNotOffered
from gateway.erp.billing import billing
from gateway.web.i18n import page_language
from gateway.web.links import forget_links, per_mount_point

EXTENSION_KEY = "navigation"
View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: LazyString
    order: int
    needs: tuple[str, ...] = ()  # every one of these must be offered
    needs_any: tuple[str, ...] = ()  # and at least one of these, when given

    def offered(self) -> bool:
        return offers(*self.needs) and (not self.needs_any or any(offers(name) for name in self.needs_any))


@dataclass(frozen=True)
class NavLink:
    """An entry as the menu shows it: its address and its label in the page's language."""

    endpoint: str
    url: str
    label: str


def add_nav_entry(blueprint: Blueprint, endpoint: str, label: LazyString, order: int = 100,
                  needs: tuple[str, ...] = (), needs_any: tuple[str, ...] = ()) -> None:
    """Call at import time next to the blueprint; the entry appears only in apps that register the blueprint,
    and only while the ERP offers what the page `needs` (all of them, and one of `needs_any`).

    Modules use orders between the start page (0) and the settings (900): contracts 100, meters 200 …
    """

    def register(state: BlueprintSetupState) -> None:
        entries: list[NavEntry] = state.app.extensions.setdefault(EXTENSION_KEY, [])
        entries.append(NavEntry(f"{blueprint.name}.{endpoint}", label, order, needs, needs_any))
        forget_links(state.app)

    blueprint.record_once(register)


def nav_entries() -> list[NavEntry]:
    return sorted(current_app.extensions.get(EXTENSION_KEY, []), key=lambda entry: entry.order)


def nav_links() -> tuple[NavLink, ...]:
    """The menu of every page, built once per language and mount point: it only changes with them.
    E-mails rendered by a command have no request and no menu."""
    if not has_request_context():
        return ()
    menu: tuple[NavLink, ...] = per_mount_point(("menu", page_language()), lambda: tuple(
        NavLink(entry.endpoint, url_for(entry.endpoint), str(entry.label)) for entry in nav_entries()
        if entry.offered()))
    return menu


def offers(*operations: str) -> bool:
    """Whether the ERP offers every one of the operations: a page, button or card without them is not shown."""
    port = billing()
    return all(port.offers(operation) for operation in operations)


def needs_operations(*operations: str) -> Callable[[View], View]:
    """A view of a page that needs these operations: when the ERP does not offer one, the clear "not offered"
    404 page (gateway/web/errors.py), before anything is read or accepted."""
    return _refusing(lambda: next((name for name in operations if not offers(name)), None))


def needs_one_of(*operations: str) -> Callable[[View], View]:
    """A view of a page that needs at least one of these operations (the messages page: a list or a form)."""
    return _refusing(lambda: None if any(offers(name) for name in operations) else operations[0])


def _refusing(missing: Callable[[], str | None]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            operation = missing()
            if operation is not None:
                raise ErpNotOffered(operation, "the page needs an operation the ERP does not offer")
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def init_nav(app: Flask) -> None:
    app.add_template_global(offers)
