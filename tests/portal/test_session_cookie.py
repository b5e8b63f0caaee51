"""The session cookie is checked once per process, and what was checked can never be more than Flask accepts."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from itsdangerous import URLSafeTimedSerializer

from gateway.web import session_cookie
from gateway.web.session_cookie import CheckedOnceSessionInterface

COOKIE = "ibok_session"


@pytest.fixture
def loads(monkeypatch):
    """Every signature check the session cookie gets, as the serializer sees it."""
    seen: list[str] = []
    original = URLSafeTimedSerializer.loads

    def counting(self, value, *args, **kwargs):
        seen.append(value)
        return original(self, value, *args, **kwargs)

    monkeypatch.setattr(URLSafeTimedSerializer, "loads", counting)
    return seen


def _cookie(client) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def test_the_portal_uses_it(app):
    assert isinstance(app.session_interface, CheckedOnceSessionInterface)


def test_a_cookie_is_checked_once_and_the_pages_stay_signed_in(signed_in, loads):
    for _ in range(3):
        assert signed_in.get("/invoices/").status_code == 200
    assert loads.count(_cookie(signed_in)) == 1


def test_a_forged_cookie_is_refused_after_the_real_one_was_checked(app, signed_in):
    assert signed_in.get("/invoices/").status_code == 200
    real = _cookie(signed_in)
    forged = real[:-2] + ("AA" if not real.endswith("AA") else "BB")
    other = app.test_client()
    other.set_cookie(COOKIE, forged)
    assert other.get("/invoices/").status_code == 302


def test_a_checked_cookie_past_its_lifetime_is_refused(app, signed_in, monkeypatch):
    assert signed_in.get("/invoices/").status_code == 200
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(session_cookie, "time", SimpleNamespace(time=lambda: later))
    assert signed_in.get("/invoices/").status_code == 302


def test_a_change_on_one_page_is_not_seen_by_the_next_page_with_the_same_cookie(app, signed_in):
    assert signed_in.get("/invoices/").status_code == 200
    cookie, interface = _cookie(signed_in), app.session_interface
    first = interface.open_session(app, _request(app, cookie))
    assert first is not None and "sid" in first
    first["scribbled"] = "yes"
    del first["sid"]
    again = interface.open_session(app, _request(app, cookie))
    assert again is not None and "scribbled" not in again and "sid" in again


def test_a_session_holding_a_list_is_checked_every_time(app, loads):
    interface = app.session_interface
    cookie = interface.get_signing_serializer(app).dumps({"_flashes": [["info", "x"]]})
    for _ in range(2):
        opened = interface.open_session(app, _request(app, cookie))
        assert opened is not None and opened["_flashes"] == [["info", "x"]]
    assert loads.count(cookie) == 2


def test_a_new_secret_refuses_old_cookies_and_a_fallback_keeps_them(app):
    interface = app.session_interface
    old = interface.get_signing_serializer(app).dumps({"_user_id": "1:1"})
    assert interface.open_session(app, _request(app, old)) == {"_user_id": "1:1"}
    previous, app.secret_key = app.secret_key, "another secret of enough length for the test"
    assert interface.open_session(app, _request(app, old)) == {}
    app.config["SECRET_KEY_FALLBACKS"] = [previous]
    assert interface.open_session(app, _request(app, old)) == {"_user_id": "1:1"}
    app.config["SECRET_KEY_FALLBACKS"] = []  # the rotation finished: the old secret's cookies end at once
    assert interface.open_session(app, _request(app, old)) == {}


def _request(app, cookie: str):
    return app.request_class({"HTTP_COOKIE": f"{COOKIE}={cookie}", "REQUEST_METHOD": "GET", "PATH_INFO": "/"})
