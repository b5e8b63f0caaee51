"""Security headers on every page, no-store on personal pages, no inline script or style anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gateway.app import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("path", ["/sign-in", "/password-reset", "/", "/settings/", "/no-such-page"])
def test_every_page_carries_the_security_headers(signed_in, path):
    response = signed_in.get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    with client.get("/static/css/portal.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_views_own_headers_are_kept_except_caching_which_pages_never_allow(app):
    @app.get("/own-headers")
    def own_headers():
        return "x", {"X-Frame-Options": "SAMEORIGIN", "cache-control": "max-age=600", "Pragma": "x"}

    response = app.test_client().get("/own-headers")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Cache-Control") == ["no-store"]
    assert response.headers.getlist("Pragma") == ["no-cache"]
    assert response.headers.getlist("Referrer-Policy") == ["same-origin"]


def test_hsts_only_when_configured(client, config, billing):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    secure = create_app({**config, "HSTS_MAX_AGE": 31536000}, billing=billing).test_client()
    assert secure.get("/sign-in").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: path.name)
def test_templates_have_no_inline_script_style_or_external_assets(template):
    text = template.read_text(encoding="utf-8")
    # A script is a file of the portal's own (the CSP's script-src 'self'), never inline code.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", text, re.S)
    assert text.count("<script") == len(scripts) and all(
        re.search(r"src=\"\{\{ fixed_url\('static'", attrs) and not body.strip() for attrs, body in scripts)
    assert "<style" not in text
    assert not re.search(r"\sstyle=|\son[a-z]+=", text)
    assert not re.search(r'(src|href)="(https?:)?//', text)


def test_pages_load_only_the_portals_own_assets(signed_in):
    page = signed_in.get("/").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(asset.startswith(("/", "#", "mailto:")) or asset.startswith("https://www.swik.com.pl")
                          for asset in assets)
    with signed_in.get("/logo") as logo:
        assert logo.status_code == 200 and logo.mimetype == "image/svg+xml"


def test_large_requests_are_refused(client):
    response = client.post("/sign-in", data={"login": "x" * (11 * 1024 * 1024), "password": "y"})
    assert response.status_code == 413
