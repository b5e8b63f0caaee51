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
def production(config, tmp_path, monkeypatch, own_utility):
    """The commented production example as IT would deploy it: the secret and the utility's identity from the
    environment."""
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


def test_production_refuses_the_demo_utilitys_identity_naming_each_setting(production, billing, monkeypatch):
    for name in ("UTILITY_NAME", "UTILITY_NIP", "PAYMENT_QR_RECIPIENT", "UTILITY_EMAIL", "MAIL_FROM",
                 "TERMS_IBOK_FILE"):
        monkeypatch.delenv(f"IBOK_{name}")
    with pytest.raises(ConfigurationError) as refused:
        create_app(production, billing=billing)
    assert str(refused.value) == (
        "refusing to start in production: UTILITY_NAME, UTILITY_EMAIL, UTILITY_NIP, PAYMENT_QR_RECIPIENT, MAIL_FROM, "
        "TERMS_IBOK_FILE must be the utility's own (IBOK_UTILITY_NAME, ...), not the demo utility's (SWiK)")


@pytest.mark.parametrize(("variable", "value"), [
    ("IBOK_UTILITY_SHORT_NAME", "SWiK"),
    ("IBOK_UTILITY_ADDRESS", "ul. Mickiewicza 10, 47-100 Strzelce Opolskie"),
    ("IBOK_UTILITY_PHONE", "+48 77 461 00 00"),
    ("IBOK_UTILITY_WEBSITE", "https://www.swik.com.pl"),
    ("IBOK_UTILITY_NIP", "7561000001"),
    ("IBOK_PAYMENT_QR_RECIPIENT", "SWiK Sp. z o.o."),
    ("IBOK_PORTAL_URL", "https://ibok.swik.com.pl"),
    ("IBOK_MAIL_SERVER", "smtp.SWIK.com.pl"),
    ("IBOK_TERMS_EINVOICE_FILE", "terms/regulamin-e-faktury-2026-01.txt"),
])
def test_production_refuses_each_of_the_demo_utilitys_values(production, billing, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=f"{variable.removeprefix('IBOK_')} must be the utility's own"):
        create_app(production, billing=billing)


def test_production_refuses_own_terms_that_still_name_the_demo_utility(production, billing, monkeypatch, tmp_path):
    copied = tmp_path / "regulamin.txt"
    copied.write_text("Regulamin IBOK prowadzonego przez Strzeleckie Wodociągi i Kanalizacja Sp. z o.o.\n",
                      encoding="utf-8")
    monkeypatch.setenv("IBOK_TERMS_IBOK_FILE", str(copied))
    with pytest.raises(ConfigurationError, match="TERMS_IBOK_FILE must be the utility's own"):
        create_app(production, billing=billing)


def test_the_shipped_defaults_are_all_refused_as_the_demo_utilitys(production, billing, monkeypatch, own_utility):
    """The demo profile adds the phone; everything else of SWiK's is in the defaults."""
    for name in own_utility:
        monkeypatch.delenv(f"IBOK_{name}")
    with pytest.raises(ConfigurationError) as refused:
        create_app({**production, "PROFILE": "demo"}, billing=billing)
    named = next(problem for problem in str(refused.value).split("; ") if "utility's own" in problem)
    named = named.split(" must be")[0]
    assert named.split(", ") == ["UTILITY_NAME", "UTILITY_SHORT_NAME", "UTILITY_ADDRESS", "UTILITY_EMAIL",
                                 "UTILITY_PHONE", "UTILITY_WEBSITE", "UTILITY_NIP", "PAYMENT_QR_RECIPIENT",
                                 "MAIL_FROM", "TERMS_IBOK_FILE", "TERMS_EINVOICE_FILE"]
