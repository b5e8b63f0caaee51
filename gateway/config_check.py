"""Refuse to start in production with settings that are only safe for the demo."""

from __future__ import annotations

from typing import Any, Mapping

DEFAULT_SECRET_KEYS = frozenset(
    {
        "insecure-default-key-change-me",
        "demo-secret-key-not-for-production",
        "testing-secret-key-not-for-production",
    }
)
MIN_SECRET_LENGTH = 32


class ConfigurationError(RuntimeError):
    """The configuration is not fit for production; the message lists every problem."""


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """Every reason the production configuration is unsafe (empty: it may start)."""
    problems = []
    secret = str(config.get("SECRET_KEY") or "")
    if secret in DEFAULT_SECRET_KEYS or len(secret) < MIN_SECRET_LENGTH:
        problems.append(f"SECRET_KEY must be set (IBOK_SECRET_KEY), random and at least {MIN_SECRET_LENGTH} characters")
    if config.get("SESSION_COOKIE_SECURE") is not True:
        problems.append("SESSION_COOKIE_SECURE must be True (cookies over HTTPS only)")
    if config.get("SESSION_COOKIE_HTTPONLY") is not True:
        problems.append("SESSION_COOKIE_HTTPONLY must be True")
    if config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        problems.append("SESSION_COOKIE_SAMESITE must be 'Lax' or 'Strict'")
    if not str(config.get("PORTAL_URL") or "").startswith("https://"):
        problems.append("PORTAL_URL must start with https://")
    if int(config.get("HSTS_MAX_AGE") or 0) <= 0:
        problems.append("HSTS_MAX_AGE must be positive")
    if config.get("DEMO_ACCOUNTS"):
        problems.append("DEMO_ACCOUNTS must be empty")
    return problems


def check_production(config: Mapping[str, Any]) -> None:
    if not config.get("PRODUCTION"):
        return
    problems = production_problems(config)
    if problems:
        raise ConfigurationError("refusing to start in production: " + "; ".join(problems))
