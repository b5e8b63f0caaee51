"""Links to one record per table row: url_for once per page, then only the record's id changes.

A list of 20 invoices has 40 such links, and url_for was a tenth of the page's time (BENCHMARKS.md,
figure 1). The id is quoted by the route's own converter, so the link is the one url_for would build.
"""

from __future__ import annotations

from typing import Any, Callable

from flask import Flask, current_app, url_for

# Letters only, so no converter or quoting changes it inside the built link.
MARKER = "IbokRowIdMarker"


def row_link(endpoint: str, argument: str) -> Callable[[object], str]:
    """A function of one value giving url_for(endpoint, argument=value); plain url_for where the rule
    converts the argument with anything but the default converter."""
    url_map = current_app.url_map
    rules = list(url_map.iter_rules(endpoint))
    if len(rules) != 1 or f"<{argument}>" not in rules[0].rule:
        return lambda value: url_for(endpoint, **_values(argument, value))
    prefix, _, suffix = url_for(endpoint, **_values(argument, MARKER)).rpartition(MARKER)
    to_url = url_map.converters["default"](url_map).to_url
    return lambda value: prefix + to_url(value) + suffix


def _values(argument: str, value: object) -> dict[str, Any]:
    return {argument: value}


def init_links(app: Flask) -> None:
    app.add_template_global(row_link)
