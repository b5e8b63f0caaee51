"""Refuse to start in production with settings that are only safe for the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from gateway.accounts.terms import CONFIG_DIR
from gateway.erp.billing import DEMO_ADAPTER

DEFAULT_SECRET_KEYS = frozenset(
    {
        "insecure-default-key-change-me",
        "demo-secret-key-not-for-production",
        "testing-secret-key-not-for-production",
    }
)
MIN_SECRET_LENGTH = 32
# A browser keeps a cookie of this prefix only if it is Secure, for the path "/" and for this host alone, so
# no sibling subdomain or plain-HTTP page can plant or overwrite the session (RFC 6265bis).
HOST_PREFIX = "__Host-"


class ConfigurationError(RuntimeError):
    """The configuration is not fit for production; the message lists every problem."""


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """Every reason the production configuration is unsafe (empty: it may start)."""
    return _secret_problems(config) + _transport_problems(config) + _cookie_scope_problems(config) + \
        _demo_problems(config) + _payment_problems(config) + _sms_problems(config) + _identity_problems(config)


def host_only(cookie_name: str) -> str:
    """The production session cookie's name: with the __Host- prefix, whatever IT named it."""
    return cookie_name if cookie_name.startswith(HOST_PREFIX) else HOST_PREFIX + cookie_name


def _cookie_scope_problems(config: Mapping[str, Any]) -> list[str]:
    """What the __Host- prefix needs besides Secure: a browser would silently drop the session cookie."""
    problems = []
    if config.get("SESSION_COOKIE_DOMAIN"):
        problems.append("SESSION_COOKIE_DOMAIN must be unset: the session cookie is for this host alone (__Host-)")
    if config.get("SESSION_COOKIE_PATH") not in (None, "/") or str(config.get("APPLICATION_ROOT") or "/") != "/":
        problems.append("SESSION_COOKIE_PATH and APPLICATION_ROOT must be '/' for a __Host- session cookie")
    return problems


def _secret_problems(config: Mapping[str, Any]) -> list[str]:
    secret = str(config.get("SECRET_KEY") or "")
    if secret in DEFAULT_SECRET_KEYS or len(secret) < MIN_SECRET_LENGTH:
        return [f"SECRET_KEY must be set (IBOK_SECRET_KEY), random and at least {MIN_SECRET_LENGTH} characters"]
    return []


def _transport_problems(config: Mapping[str, Any]) -> list[str]:
    problems = []
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
    return problems


def _demo_problems(config: Mapping[str, Any]) -> list[str]:
    """What only the demo runs on: made-up customers would be shown as real ones."""
    problems = []
    if config.get("DEMO_ACCOUNTS"):
        problems.append("DEMO_ACCOUNTS must be empty")
    if str(config.get("ERP_ADAPTER") or "") == DEMO_ADAPTER:
        problems.append(f"ERP_ADAPTER must name the utility's ERP adapter (IBOK_ERP_ADAPTER, e.g. \"soap\" or "
                        f"\"rest\"), not \"{DEMO_ADAPTER}\", the demo's in-process dataset")
    if config.get("ERP_REPLAY_DIR"):
        problems.append("ERP_REPLAY_DIR must be empty: it answers from recorded files instead of the ERP")
    return problems


def check_production(config: Mapping[str, Any]) -> None:
    if not config.get("PRODUCTION"):
        return
    problems = production_problems(config)
    if problems:
        raise ConfigurationError("refusing to start in production: " + "; ".join(problems))


# The demo simulator's payment settings (config/defaults.py): a portal with them would take no real money.
DEMO_PAYMENT_SECRETS = frozenset({"demo-crc-not-for-production", "demo-api-key-not-for-production"})


def _payment_problems(config: Mapping[str, Any]) -> list[str]:
    """With payments on: the operator's own keys, and HTTPS to the operator and for its links back."""
    if not config.get("PAYMENTS_ENABLED"):
        return []
    problems = _przelewy24_problems(config) if config.get("PAYMENT_OPERATOR") == "przelewy24" else []
    if not str(config.get("PAYMENT_PUBLIC_URL") or config.get("PORTAL_URL") or "").startswith("https://"):
        problems.append("PAYMENT_PUBLIC_URL (or PORTAL_URL) must start with https://")
    return problems


def _przelewy24_problems(config: Mapping[str, Any]) -> list[str]:
    problems = []
    if str(config.get("P24_CRC") or "") in DEMO_PAYMENT_SECRETS | {""} or \
            str(config.get("P24_API_KEY") or "") in DEMO_PAYMENT_SECRETS | {""}:
        problems.append("P24_CRC and P24_API_KEY must be the operator's keys (IBOK_P24_CRC, IBOK_P24_API_KEY)")
    if not str(config.get("P24_URL") or "").startswith("https://"):
        problems.append("P24_URL must start with https:// (the operator, not the demo simulator)")
    return problems


DEMO_SMS_TOKEN = "demo-sms-token-not-for-production"


def _sms_problems(config: Mapping[str, Any]) -> list[str]:
    """With SMS on: SMSAPI's own token, over HTTPS to SMSAPI rather than the demo simulator."""
    if not config.get("SMS_ENABLED") or config.get("SMS_GATEWAY") != "smsapi":
        return []
    problems = []
    if str(config.get("SMSAPI_TOKEN") or "") in {DEMO_SMS_TOKEN, ""}:
        problems.append("SMSAPI_TOKEN must be the token from SMSAPI's panel (IBOK_SMSAPI_TOKEN)")
    if not str(config.get("SMSAPI_URL") or "").startswith("https://"):
        problems.append("SMSAPI_URL must start with https:// (SMSAPI, not the demo simulator)")
    return problems


# The made-up utility of the demo (config/defaults.py, config/demo.py): a portal left with any of these would show
# another company's name, NIP and contacts to its customers, and put them in the transfer QR code.
DEMO_IDENTITY = {
    "UTILITY_NAME": "Strzeleckie Wodociągi i Kanalizacja Sp. z o.o.",
    "UTILITY_SHORT_NAME": "SWiK",
    "UTILITY_ADDRESS": "ul. Mickiewicza 10, 47-100 Strzelce Opolskie",
    "UTILITY_EMAIL": "swik@swik.com.pl",
    "UTILITY_PHONE": "+48 77 461 00 00",
    "UTILITY_WEBSITE": "https://www.swik.com.pl",
    "UTILITY_NIP": "7561000001",
    "PAYMENT_QR_RECIPIENT": "SWiK Sp. z o.o.",
    "MAIL_FROM": "IBOK SWiK <ibok@swik.com.pl>",
}
# Settings that would send customers (links in e-mails, replies, the sender) to the demo utility's domain.
DEMO_DOMAIN = "swik.com.pl"
DOMAIN_SETTINGS = ("UTILITY_EMAIL", "UTILITY_WEBSITE", "MAIL_FROM", "MAIL_SERVER", "MAIL_USERNAME", "PORTAL_URL",
                   "PAYMENT_PUBLIC_URL")
# The first lines of the demo's sample terms say so; the utility publishes its own.
DEMO_TERMS_MARK = "tekst przykładowy do wersji demonstracyjnej"
TERMS_SETTINGS = ("TERMS_IBOK_FILE", "TERMS_EINVOICE_FILE")


def _identity_problems(config: Mapping[str, Any]) -> list[str]:
    """The demo utility's identity left in place: every setting still holding it, by name."""
    left = [name for name, value in DEMO_IDENTITY.items() if str(config.get(name) or "").strip() == value]
    left += [name for name in DOMAIN_SETTINGS
             if name not in left and DEMO_DOMAIN in str(config.get(name) or "").lower()]
    left += [name for name in TERMS_SETTINGS if _is_demo_terms(str(config.get(name) or ""))]
    if not left:
        return []
    return [f"{', '.join(left)} must be the utility's own (IBOK_{left[0]}, ...), not the demo utility's (SWiK)"]


def _is_demo_terms(configured: str) -> bool:
    """A terms file still holding the demo's sample text (or one that names the demo utility)."""
    path = Path(configured) if Path(configured).is_absolute() else CONFIG_DIR / configured
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # not the demo's text, whatever else is wrong with it
    return DEMO_TERMS_MARK in text or DEMO_IDENTITY["UTILITY_NAME"] in text
