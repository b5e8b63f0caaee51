"""The navigation: each module's blueprint adds its own entry, so the menu never links to a missing page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app
from flask.blueprints import BlueprintSetupState
from flask_babel import LazyString

EXTENSION_KEY = "navigation"


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: LazyString
    order: int


def add_nav_entry(blueprint: Blueprint, endpoint: str, label: LazyString, order: int = 100) -> None:
    """Call at import time next to the blueprint; the entry appears only in apps that register the blueprint.

    Modules use orders between the start page (0) and the settings (900): contracts 100, meters 200 …
    """

    def register(state: BlueprintSetupState) -> None:
        entries: list[NavEntry] = state.app.extensions.setdefault(EXTENSION_KEY, [])
        entries.append(NavEntry(f"{blueprint.name}.{endpoint}", label, order))

    blueprint.record_once(register)


def nav_entries() -> list[NavEntry]:
    return sorted(current_app.extensions.get(EXTENSION_KEY, []), key=lambda entry: entry.order)
