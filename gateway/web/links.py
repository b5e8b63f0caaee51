"""Links that are the same on every page (the stylesheet, the logo, the menu's), built once per mount point.

Such a link depends only on its route, its values and the mount point (SCRIPT_NAME); links that carry an
id or a query are built by url_for where they are used.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

from flask import Flask, current_app, request, url_for
from flask.sansio.app import App

EXTENSION_KEY = "fixed_links"
# Links kept per process; only constant links are kept, so this is never reached unless a caller passes
# values that change (then it starts again).
MAX_LINKS = 1000


def per_mount_point(key: Hashable, build: Callable[[], Any]) -> Any:
    """What `build` gives for this key and the request's mount point, built once."""
    links: dict[Hashable, Any] = current_app.extensions.setdefault(EXTENSION_KEY, {})
    key = (request.script_root, key)
    found = links.get(key)
    if found is None:
        if len(links) >= MAX_LINKS:
            links.clear()
        found = links[key] = build()
    return found


def fixed_url(endpoint: str, **values: str) -> str:
    """url_for for a link that is the same on every page: the stylesheet, the logo, the footer's terms."""
    built: dict[str, Any] = dict(values)
    return str(per_mount_point((endpoint, tuple(sorted(values.items()))), lambda: url_for(endpoint, **built)))


def forget_links(app: App) -> None:
    """A blueprint registered late adds routes and a menu entry: build everything again."""
    app.extensions.pop(EXTENSION_KEY, None)


def init_links(app: Flask) -> None:
    app.add_template_global(fixed_url)
