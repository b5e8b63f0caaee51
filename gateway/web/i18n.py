"""Polish by default, English as a switch; Polish dates and money as Jinja filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, TypeVar
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, url_for
from flask_babel import LazyString, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from gateway.db.database import db
from gateway.db.models import Account
from gateway.web.security import safe_next
from gateway.web.sessions import current_account

LANGUAGE_COOKIE = "ibok_lang"
ONE_YEAR = 365 * 24 * 3600
# Label tables kept translated per language; more than this many means a caller passes throwaway dicts.
MAX_LABEL_TABLES = 256
SIZE_UNITS = ("B", "kB", "MB", "GB")

Key = TypeVar("Key")
_label_tables: dict[tuple[int, str], tuple[Mapping[Any, LazyString], dict[Any, str]]] = {}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The customer's choice from the language cookie; otherwise Polish, whatever the browser prefers
    (and outside a request). E-mails and SMS take their account's language instead (accounts/mail.py)."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE, "") if has_request_context() else ""
    return chosen if chosen in languages else str(current_app.config["BABEL_DEFAULT_LOCALE"])


@bp.post("/language")
def switch() -> Response:
    """Remember the language in its own cookie, so it survives sign-in, sign-out and timeouts; a signed-in
    customer's account keeps it too, for the e-mails and SMS sent to it."""
    language = request.form.get("language", "")
    response = redirect(safe_next(request.form.get("next"), url_for("home.index")))
    if language in current_app.config["LANGUAGES"]:
        remember_language(response, language)
        if current_user.is_authenticated:
            current_account().language = language
            db().commit()
    return response


def remember_language(response: Response, language: str) -> None:
    """The language cookie: the pages' language on this device, kept a year."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )


def keep_chosen_language(account: Account) -> None:
    """At sign-in: a language switched to before signing in becomes the account's, for its e-mails and SMS; none
    chosen leaves the account's as it was. The caller commits."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in current_app.config["LANGUAGES"]:
        account.language = chosen


def follow_account_language(account: Account, response: Response) -> None:
    """At sign-in on a device where no language was chosen: the pages take the account's, as its e-mails do."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen not in current_app.config["LANGUAGES"] and account.language in current_app.config["LANGUAGES"]:
        remember_language(response, str(account.language))


def format_decimal(value: Decimal | float | int | None, places: int = 2) -> str:
    """Polish number: decimal comma, thousands in groups of three: 1234.5 gives "1 234,50"."""
    if value is None:
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number.is_zero():
        number = number.copy_abs()  # no "-0,00"
    return f"{number:,f}".replace(",", " ").replace(".", ",")


def format_money(value: Decimal | float | int | None) -> str:
    """Money as on the utility's invoices, in both languages: "1 234,56 zł"."""
    return "" if value is None else f"{format_decimal(value, 2)} zł"


def human_size(size: int) -> str:
    """Polish file size in binary steps, one decimal: 12 595 bytes is "12,3 kB", 1 258 291 is "1,2 MB"."""
    value, unit = float(max(size, 0)), 0
    while value >= 1024 and unit < len(SIZE_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{int(value)} B" if unit == 0 else f"{format_decimal(value, 1)} {SIZE_UNITS[unit]}"


def format_date(value: date | datetime | None) -> str:
    """Polish date "27.11.2026"; a datetime (stored as naive UTC) also gets the local time "27.11.2026 14:05"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        local = aware.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
        return f"{local.day:02d}.{local.month:02d}.{local.year:04d} {local.hour:02d}:{local.minute:02d}"
    return _day(value)


@lru_cache(maxsize=2048)
def _day(value: date) -> str:
    """Kept, not formatted again: a table of 20 invoices shows 80 dates, most of them the same every time."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def page_language() -> str:
    """The language this page is rendered in (a forced one inside force_locale, as for e-mails)."""
    locale = get_locale()
    return _identifier(locale) if locale is not None else str(current_app.config["BABEL_DEFAULT_LOCALE"])


@lru_cache(maxsize=32)
def _identifier(locale: Locale) -> str:
    """"pl" for Babel's Locale("pl"): Babel builds the text anew each time, and a page asks several times."""
    return str(locale)


def label_texts(labels: Mapping[Key, LazyString]) -> dict[Key, str]:
    """A module's constant table of lazy labels in the page's language, translated once per process:
    str() of a lazy string costs a catalogue lookup through Flask-Babel every time."""
    key = (id(labels), page_language())
    found = _label_tables.get(key)
    if found is None or found[0] is not labels:
        if len(_label_tables) >= MAX_LABEL_TABLES:
            _label_tables.clear()
        found = _label_tables[key] = (labels, {name: str(label) for name, label in labels.items()})
    return found[1]


def warn_if_not_compiled(app: Flask) -> None:
    """Without compiled catalogues every page falls back to the English source strings: say so loudly."""
    translations = Path(app.root_path) / "translations"
    for language in app.config["LANGUAGES"]:
        po = translations / language / "LC_MESSAGES" / "messages.po"
        if po.exists() and not po.with_suffix(".mo").exists():
            app.logger.warning("%s catalogue not compiled: run `pybabel compile -d gateway/translations`", language)


def init_i18n(app: Flask) -> None:
    warn_if_not_compiled(app)
    app.register_blueprint(bp)
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_decimal, "decimal")
