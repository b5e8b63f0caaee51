"""The navigation: each module's blueprint adds its own entry, so the menu never links to a missing page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, has_request_context, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import LazyString

from gateway.web.i18n import page_language
from gateway.web.links import forget_links, per_mount_point

EXTENSION_KEY = "navigation"


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: LazyString
    order: int


@dataclass(frozen=True)
class NavLink:
    """An entry as the menu shows it: its address and its label in the page's language."""

    endpoint: str
    url: str
    label: str


def add_nav_entry(blueprint: Blueprint, endpoint: str, label: LazyString, order: int = 100) -> None:
    """Call at import time next to the blueprint; the entry appears only in apps that register the blueprint.

    Modules use orders between the start page (0) and the settings (900): contracts 100, meters 200 …
    """

    def register(state: BlueprintSetupState) -> None:
        entries: list[NavEntry] = state.app.extensions.setdefault(EXTENSION_KEY, [])
        entries.append(NavEntry(f"{blueprint.name}.{endpoint}", label, order))
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
        NavLink(entry.endpoint, url_for(entry.endpoint), str(entry.label)) for entry in nav_entries()))
    return menu
