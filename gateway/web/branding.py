"""The utility's name, address, contact and logo from configuration, for the layout and e-mails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, has_request_context, request, send_file, send_from_directory
from werkzeug.wrappers import Response

from gateway.web.i18n import page_language
from gateway.web.nav import nav_links

bp = Blueprint("branding", __name__)
BRANDING_KEYS = ("NAME", "SHORT_NAME", "ADDRESS", "OFFICE", "EMAIL", "PHONE", "WEBSITE")
# Each key's name in the templates and in the configuration: utility.name is UTILITY_NAME.
BRANDING_SETTINGS = tuple((key.lower(), f"UTILITY_{key}") for key in BRANDING_KEYS)


def utility() -> dict[str, str]:
    """UTILITY_NAME … as utility.name …; empty values are simply not shown."""
    config = current_app.config
    details = {name: str(config.get(setting) or "") for name, setting in BRANDING_SETTINGS}
    details["phone_href"] = phone_href(details["phone"])
    return details


def phone_href(phone: str) -> str:
    """A tel: link a phone dials as written: "+48 77 461 00 00" gives "tel:+48774610000" (RFC 3966 has no spaces)."""
    digits = "".join(char for char in phone if char.isdigit())
    if not digits:
        return ""
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


@bp.get("/logo")
def logo() -> Response:
    """The configured logo file, or the portal's own placeholder; served here so no page needs a CDN."""
    configured = current_app.config.get("UTILITY_LOGO")
    if configured:
        return send_file(Path(configured).resolve(), max_age=3600)
    return send_from_directory(current_app.static_folder or "static", "img/logo.svg", max_age=3600)


def layout_context() -> dict[str, Any]:
    """What the layout shows; the menu is built only when the layout's kept menu is not found
    (gateway/web/fragments.py)."""
    return {
        "utility": utility(),
        "nav_links": nav_links,
        "current_language": page_language(),
        "current_endpoint": request.endpoint if has_request_context() else None,
        "languages": current_app.config["LANGUAGES"],
    }


def init_branding(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(layout_context)
