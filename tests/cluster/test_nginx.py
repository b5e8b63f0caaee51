"""config/nginx/ibok.conf in front of a portal under gunicorn: Debian's nginx, a certificate made here."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.cluster.stack import ROOT, Process, csrf_token, environment, flask, start_portal
from tests.infra.nginx import CONF, Nginx

# config/defaults.py's MAX_CONTENT_LENGTH, written out: the two limits must agree.
PORTAL_BODY_LIMIT = 10 * 1024 * 1024
SPOOFED = "203.0.113.7"
# Another loopback address than nginx's own (127.0.0.1), so the portal can tell the client from the proxy.
CLIENT = "127.0.0.2"


class FromClientAddress(HTTPAdapter):
    """Connects from CLIENT (requests' documented way to set pool options: a transport adapter)."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, source_address=(CLIENT, 0), **kwargs)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="ibok-nginx-test-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def portal(folder) -> Iterator[Process]:
    env = environment(folder, IBOK_DATABASE_URL=f"sqlite:///{folder / 'ibok.sqlite'}")
    flask(env, "db", "upgrade")
    portal = start_portal("portal", env, folder)
    yield portal
    portal.stop()


@pytest.fixture(scope="module")
def nginx(portal) -> Iterator[Nginx]:
    server = Nginx.start([portal.address])
    yield server
    server.stop()


@pytest.fixture
def browser(nginx) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace the certificate given here
    session.verify = str(nginx.certificate)
    session.mount("https://", FromClientAddress())
    session.mount("http://", FromClientAddress())
    return session


def portal_saw(folder: Path, path: str) -> bool:
    return f" {path} " in (folder / "portal.access.log").read_text()


def test_static_files_are_served_by_nginx_and_pages_by_the_portal(browser, nginx, folder):
    css = browser.get(f"{nginx.https}/static/css/portal.css", timeout=10)
    assert css.status_code == 200
    assert css.content == (ROOT / "static" / "css" / "portal.css").read_bytes()
    assert css.headers["X-Content-Type-Options"] == "nosniff" and "max-age=3600" in css.headers["Cache-Control"]
    assert browser.get(f"{nginx.https}/healthz", timeout=10).json() == {"status": "ok"}
    assert portal_saw(folder, "/healthz") and not portal_saw(folder, "/static/css/portal.css")


def test_the_body_limit_is_the_portals_and_larger_bodies_stop_at_nginx(browser, nginx, folder):
    assert "client_max_body_size 10m;" in CONF.read_text()
    assert (ROOT / "config" / "defaults.py").read_text().count("MAX_CONTENT_LENGTH = 10 * 1024 * 1024") == 1
    refused = browser.post(f"{nginx.https}/messages/new", data=b"x" * (PORTAL_BODY_LIMIT + 1), timeout=30,
                           headers={"Content-Type": "application/octet-stream"})
    assert refused.status_code == 413
    assert not portal_saw(folder, "/messages/new")
    taken = browser.post(f"{nginx.https}/messages/new", data=b"x" * (PORTAL_BODY_LIMIT - 1024), timeout=30,
                         headers={"Content-Type": "application/octet-stream"})
    assert taken.status_code != 413 and portal_saw(folder, "/messages/new")


def test_the_portal_sees_the_clients_address_not_one_the_client_claims(browser, nginx, folder):
    form = browser.get(f"{nginx.https}/sign-in", timeout=10)
    answer = browser.post(f"{nginx.https}/sign-in", timeout=30, headers={
        "X-Forwarded-For": SPOOFED, "Referer": form.url}, data={
        "csrf_token": csrf_token(form.text), "login": "nobody-here", "password": "Wrong-password-123"})
    assert answer.status_code == 200
    with sqlite3.connect(folder / "ibok.sqlite") as database:
        addresses = database.execute("SELECT client_address FROM audit_log WHERE action = 'sign_in.failed'").fetchall()
    assert addresses == [(CLIENT,)]


def test_urls_the_portal_builds_are_https_and_plain_http_is_redirected(browser, nginx):
    slashless = browser.get(f"{nginx.https}/invoices", timeout=10, allow_redirects=False)
    assert slashless.status_code == 308
    assert re.fullmatch(r"https://127\.0\.0\.1(:\d+)?/invoices/", slashless.headers["Location"])
    plain = browser.get(f"{nginx.http}/invoices/", timeout=10, allow_redirects=False)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://127.0.0.1")
