"""Polish by default, English as a switch; Polish dates and money as Jinja filters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from gateway.security import safe_next

LANGUAGE_COOKIE = "ibok_lang"
ONE_YEAR = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The customer's choice from the language cookie; otherwise Polish, whatever the browser prefers."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in languages else str(current_app.config["BABEL_DEFAULT_LOCALE"])


@bp.post("/language")
def switch() -> Response:
    """Remember the language in its own cookie, so it survives sign-in, sign-out and timeouts."""
    language = request.form.get("language", "")
    response = redirect(safe_next(request.form.get("next"), url_for("home.index")))
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=ONE_YEAR,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        )
    return response


def _group_thousands(digits: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return " ".join([digits, *groups])


def format_decimal(value: Decimal | float | int | None, places: int = 2) -> str:
    """Polish number: decimal comma, thousands in groups of three: 1234.5 gives "1 234,50"."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    return f"{sign}{_group_thousands(whole)}{',' + fraction if places else ''}"


def format_money(value: Decimal | float | int | None) -> str:
    """Money as on the utility's invoices, in both languages: "1 234,56 zł"."""
    return "" if value is None else f"{format_decimal(value, 2)} zł"


def format_date(value: date | datetime | None) -> str:
    """Polish date "27.11.2026"; a datetime (stored as naive UTC) also gets the local time "27.11.2026 14:05"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        local = aware.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
        return f"{local:%d.%m.%Y %H:%M}"
    return f"{value:%d.%m.%Y}"


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
