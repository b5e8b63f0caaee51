"""Response headers every page carries (CSP without inline script, no-store), and safe `next=` targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.wrappers import Response

# Everything the pages need is served by the portal itself: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


# Files a browser may keep: the stylesheet and the logo.
CACHEABLE_ENDPOINTS = frozenset({"static", "branding.logo"})
# Pages show personal data or carry CSRF tokens: no browser or proxy may keep them.
NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


def add_security_headers(response: Response) -> Response:
    """Every page: the fixed headers unless the view set its own, HSTS when configured, and no-store on
    anything but static files. Added in one go, not looked up header by header."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    added = [(name, value) for name, value in STATIC_HEADERS.items() if name.lower() not in present]
    for name, value in _enforced_headers():
        if name.lower() in present:
            headers[name] = value
        else:
            added.append((name, value))
    headers.extend(added)
    return response


def _enforced_headers() -> list[tuple[str, str]]:
    """Headers that replace whatever the view set."""
    max_age = int(current_app.config["HSTS_MAX_AGE"])
    enforced = [("Strict-Transport-Security", f"max-age={max_age}; includeSubDomains")] if max_age > 0 else []
    return enforced if request.endpoint in CACHEABLE_ENDPOINTS else [*enforced, *NO_STORE]


def safe_next(target: str | None, default: str) -> str:
    """Only a path of this portal: no scheme, no host, no protocol-relative `//` or `/\\` tricks."""
    if not target or any(ord(char) < 32 or char == "\\" for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
