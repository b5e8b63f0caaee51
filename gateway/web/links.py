"""Links built once and reused: the layout's fixed links, the menu's, and row links where only the id changes.

A page has many links (the layout eight, a list of 20 invoices 40, a pager two). A link depends only on the
route, its values and the mount point (SCRIPT_NAME), so each is built once per mount point; a row's id is
quoted by the route's own converter, so the link is the one url_for would build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Mapping
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask.sansio.app import App

EXTENSION_KEY = "fixed_links"
# Letters only, so no converter or quoting changes it inside the built link.
MARKER = "IbokRowIdMarker"
# Links kept per process; only templates' constant links and row-link patterns are kept, so this is
# never reached unless a caller passes values that change (then it starts again).
MAX_LINKS = 1000
# Ids made only of these need no quoting in a path segment: nearly all the ERP's are, so the route's
# converter is asked only for the others.
PLAIN_ID = re.compile(r"[A-Za-z0-9._~-]+")
# What url_for leaves unquoted in a query (werkzeug.urls._urlencode).
QUERY_SAFE = "!$'()*,/:;?@"


@dataclass(frozen=True)
class RowLink:
    """url_for(endpoint, argument=value) for any value: the built link around a quoted id."""

    prefix: str
    suffix: str
    quote: Callable[[str], str] = field(compare=False)

    def __call__(self, value: object) -> str:
        text = str(value)
        return self.prefix + (text if PLAIN_ID.fullmatch(text) else self.quote(text)) + self.suffix


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


def row_link(endpoint: str, argument: str) -> Callable[[object], str]:
    """A function of one value giving url_for(endpoint, argument=value)."""
    link: Callable[[object], str] = per_mount_point(("row", endpoint, argument), lambda: _row_link(endpoint, argument))
    return link


def _row_link(endpoint: str, argument: str) -> Callable[[object], str]:
    """Plain url_for where the rule converts the argument with anything but the default converter."""
    url_map = current_app.url_map
    rules = list(url_map.iter_rules(endpoint))
    if len(rules) != 1 or f"<{argument}>" not in rules[0].rule:
        return lambda value: url_for(endpoint, **_values(argument, value))
    prefix, _, suffix = url_for(endpoint, **_values(argument, MARKER)).rpartition(MARKER)
    return RowLink(prefix, suffix, url_map.converters["default"](url_map).to_url)


def page_link(endpoint: str, args: Mapping[str, Any], number: int) -> str:
    """url_for(endpoint, **args, page=number) for the pager: the route's link built once, the query added."""
    path = per_mount_point(("pages", endpoint), lambda: _path_without_values(endpoint))
    values = {**args, "page": number}
    if not path:
        return url_for(endpoint, **values)
    return f"{path}?{urlencode([item for item in values.items() if item[1] is not None], safe=QUERY_SAFE)}"


def _path_without_values(endpoint: str) -> str:
    """The route's link when its path takes no values, else "" (the pager then asks url_for)."""
    rules = list(current_app.url_map.iter_rules(endpoint))
    return url_for(endpoint) if len(rules) == 1 and not rules[0].arguments else ""


def link(value: object, to: Callable[[object], str]) -> str:
    """`{{ invoice.id|link(details_url) }}`: a filter, which Jinja calls directly, unlike a function."""
    return to(value)


def _values(argument: str, value: object) -> dict[str, Any]:
    return {argument: value}


def forget_links(app: App) -> None:
    """A blueprint registered late adds routes and a menu entry: build everything again."""
    app.extensions.pop(EXTENSION_KEY, None)


def init_links(app: Flask) -> None:
    app.add_template_global(row_link)
    app.add_template_global(fixed_url)
    app.add_template_global(page_link)
    app.add_template_filter(link)
