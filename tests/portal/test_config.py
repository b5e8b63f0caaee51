"""Configuration: defaults, profiles, IBOK_ variables, and production refusing demo-grade settings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from gateway.accounts.passwords import Passwords
from gateway.app import create_app
from gateway.config_check import ConfigurationError

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "production.example.py"
STRONG = "k" * 20 + "-random-enough-secret-value"


@pytest.fixture
def production(config, tmp_path, monkeypatch):
    """The commented production example as IT would deploy it, with the secret from the environment."""
    monkeypatch.setenv("IBOK_CONFIG_FILE", str(EXAMPLE))
    monkeypatch.setenv("IBOK_SECRET_KEY", STRONG)
    return {"DATABASE_URL": config["DATABASE_URL"]}


def test_the_production_example_starts_with_a_secret_from_the_environment(production, billing):
    app = create_app(production, billing=billing)
    assert app.config["PRODUCTION"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_the_default_secret_key(production, billing, monkeypatch):
    monkeypatch.delenv("IBOK_SECRET_KEY")
    with pytest.raises(ConfigurationError, match="SECRET_KEY must be set"):
        create_app(production, billing=billing)


@pytest.mark.parametrize("secret", ["demo-secret-key-not-for-production", "short"])
def test_production_refuses_a_known_or_short_secret(production, billing, monkeypatch, secret):
    monkeypatch.setenv("IBOK_SECRET_KEY", secret)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(production, billing=billing)


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("IBOK_SESSION_COOKIE_SECURE", "false", "SESSION_COOKIE_SECURE must be True"),
        ("IBOK_SESSION_COOKIE_HTTPONLY", "false", "SESSION_COOKIE_HTTPONLY must be True"),
        ("IBOK_SESSION_COOKIE_SAMESITE", "None", "SESSION_COOKIE_SAMESITE"),
        ("IBOK_PORTAL_URL", "http://ibok.example", "PORTAL_URL must start with https://"),
        ("IBOK_HSTS_MAX_AGE", "0", "HSTS_MAX_AGE must be positive"),
        ("IBOK_DEMO_ACCOUNTS", '[{"login": "x"}]', "DEMO_ACCOUNTS must be empty"),
    ],
)
def test_production_refuses_insecure_settings(production, billing, monkeypatch, variable, value, problem):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=problem):
        create_app(production, billing=billing)


def test_production_refuses_the_in_process_demo_erp(production, billing, monkeypatch):
    monkeypatch.setenv("IBOK_ERP_ADAPTER", "fake")
    with pytest.raises(ConfigurationError) as refused:
        create_app(production, billing=billing)
    assert str(refused.value) == (
        'refusing to start in production: ERP_ADAPTER must name the utility\'s ERP adapter (IBOK_ERP_ADAPTER, '
        'e.g. "soap" or "rest"), not "fake", the demo\'s in-process dataset')


def test_production_refuses_answers_replayed_from_recordings(production, billing, monkeypatch, tmp_path):
    monkeypatch.setenv("IBOK_ERP_REPLAY_DIR", str(tmp_path))
    with pytest.raises(ConfigurationError, match="ERP_REPLAY_DIR must be empty"):
        create_app(production, billing=billing)


def test_the_demo_profile_is_refused_as_production(config, billing):
    with pytest.raises(ConfigurationError) as refused:
        create_app({**config, "PROFILE": "demo", "PRODUCTION": True}, billing=billing)
    assert "SECRET_KEY must be set" in str(refused.value) and 'not "fake"' in str(refused.value)


def test_environment_variables_override_the_files(config, billing, monkeypatch):
    monkeypatch.setenv("IBOK_SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("IBOK_UTILITY_PHONE", "77 000 00 00")
    app = create_app(config, billing=billing)
    assert app.config["SESSION_IDLE_MINUTES"] == 5
    assert app.config["UTILITY_PHONE"] == "77 000 00 00"
    assert "77 000 00 00" in app.test_client().get("/sign-in").get_data(as_text=True)


def test_the_absolute_lifetime_also_bounds_the_signed_cookie(config, billing):
    app = create_app({**config, "SESSION_ABSOLUTE_HOURS": 4}, billing=billing)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=4)


def test_defaults_use_the_owasp_argon2id_parameters():
    from config import defaults

    assert (defaults.ARGON2_MEMORY_KIB, defaults.ARGON2_TIME_COST, defaults.ARGON2_PARALLELISM) == (19456, 2, 1)
    assert defaults.SESSION_IDLE_MINUTES == 15 and defaults.PASSWORD_MIN_LENGTH == 12
    settings = {name: getattr(defaults, name) for name in dir(defaults) if name.isupper()}
    stored = Passwords(settings).hash("poprawny koń bateria zszywka")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$"), "the hash itself records the cost it was made with"


def test_proxy_headers_are_trusted_only_when_configured(config, billing, make_account):
    plain = create_app(config, billing=billing).test_client()
    assert plain.get("/sign-in", headers={"X-Forwarded-Proto": "https"}).request.scheme == "http"
    proxied = create_app({**config, "PROXY_FIX_X_FOR": 1}, billing=billing)

    @proxied.get("/whoami")
    def whoami() -> str:
        from flask import request

        return request.remote_addr or ""

    page = proxied.test_client().get("/whoami", headers={"X-Forwarded-For": "198.51.100.23"})
    assert page.get_data(as_text=True) == "198.51.100.23"
