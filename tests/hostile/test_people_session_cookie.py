"""The session cookie's scope and lifetime: in production it carries the __Host- prefix (Secure, path "/", no
domain), so a sibling subdomain or a plain-HTTP page cannot plant or overwrite it; a session lifetime below an
hour is kept as set, not truncated to none."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.config_check import ConfigurationError
from tests.hostile.conftest import add_account
from tests.portal_fixtures import sign_in

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "production.example.py"


@pytest.fixture
def production_app(config, billing, mailbox, monkeypatch, own_utility):
    """The production example as IT would deploy it, its secret and the utility's identity from the environment."""
    monkeypatch.setenv("IBOK_CONFIG_FILE", str(EXAMPLE))
    monkeypatch.setenv("IBOK_SECRET_KEY", "s" * 40)
    app = create_app({"DATABASE_URL": config["DATABASE_URL"]}, billing=billing)
    upgrade_database(app)
    return app


def test_in_production_the_session_cookie_is_host_only(production_app):
    """The sign-in page already starts a session (its form's CSRF token is kept there)."""
    response = production_app.test_client().get("/sign-in", base_url="https://ibok.swik.com.pl")
    assert response.status_code == 200
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if "session=" in value)
    assert cookie.startswith("__Host-ibok_session=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "path", "httponly"} <= attributes and "domain" not in attributes
    assert "Path=/;" in cookie + ";"


@pytest.mark.parametrize(("setting", "value"), [("SESSION_COOKIE_DOMAIN", ".swik.com.pl"),
                                                ("SESSION_COOKIE_PATH", "/ibok")])
def test_production_refuses_a_session_cookie_scope_the_prefix_forbids(config, billing, monkeypatch, own_utility,
                                                                      setting, value):
    monkeypatch.setenv("IBOK_CONFIG_FILE", str(EXAMPLE))
    monkeypatch.setenv("IBOK_SECRET_KEY", "s" * 40)
    with pytest.raises(ConfigurationError, match=setting):
        create_app({"DATABASE_URL": config["DATABASE_URL"], setting: value}, billing=billing)


@pytest.mark.parametrize(("minutes_ago", "status"), [(20, 200), (35, 302)])
def test_a_session_lifetime_of_half_an_hour_ends_after_half_an_hour(config, billing, mailbox, minutes_ago, status):
    app = create_app({**config, "SESSION_ABSOLUTE_HOURS": 0.5}, billing=billing)
    upgrade_database(app)
    add_account(app)
    client = app.test_client()
    assert sign_in(client).status_code == 302
    with client.session_transaction() as session:
        session["auth_at"] = int(time.time()) - minutes_ago * 60
    assert client.get("/").status_code == status
