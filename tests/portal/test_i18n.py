"""Polish by default, English as a switch; every string translated; Polish dates and money."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from gateway.pages.auth.signing_in import throttled
from gateway.web.i18n import format_date, format_decimal, format_money
from tests.portal.conftest import sign_in
from tests.portal_fixtures import TRANSLATIONS

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "gateway" / "translations" / "pl" / "LC_MESSAGES" / "messages.po"


def test_the_suite_compiles_the_polish_catalogue_itself():
    """A fresh clone has no .mo files: the session fixture compiles gateway/translations before any page renders."""
    assert TRANSLATIONS == ROOT / "gateway" / "translations"
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.is_file() and compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime


def test_pages_are_polish_by_default_whatever_the_browser_prefers(client):
    response = client.get("/sign-in", headers={"Accept-Language": "en-GB,en;q=0.9"})
    page = response.get_data(as_text=True)
    assert '<html lang="pl">' in page
    assert "Zaloguj się" in page and "Sign in" not in page


def test_the_english_switch_translates_and_survives_sign_in(client, make_account):
    make_account()
    response = client.post("/language", data={"language": "en", "next": "/sign-in"})
    assert response.location == "/sign-in"
    assert "ibok_lang=en" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page and "Polski" in page
    sign_in(client)
    assert "Customer data" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"language": "pl"})
    assert "Dane Klienta" in client.get("/").get_data(as_text=True)


def test_signing_in_on_a_new_device_shows_the_language_the_account_chose_elsewhere(app, make_account):
    make_account()
    first_device = app.test_client()
    first_device.post("/language", data={"language": "en"})
    assert sign_in(first_device).status_code == 302
    new_device = app.test_client()
    assert "Zaloguj się" in new_device.get("/sign-in").get_data(as_text=True)
    response = sign_in(new_device)
    assert "ibok_lang=en" in str(response.headers.getlist("Set-Cookie"))
    assert '<html lang="en">' in new_device.get("/").get_data(as_text=True)


def test_a_language_chosen_on_the_device_before_signing_in_wins_and_becomes_the_accounts(app, make_account):
    make_account()
    english_device = app.test_client()
    english_device.post("/language", data={"language": "en"})
    sign_in(english_device)
    polish_device = app.test_client()
    polish_device.post("/language", data={"language": "pl"})
    assert "ibok_lang" not in str(sign_in(polish_device).headers.getlist("Set-Cookie"))
    assert "Dane Klienta" in polish_device.get("/").get_data(as_text=True)
    assert "ibok_lang=pl" in str(sign_in(app.test_client()).headers.getlist("Set-Cookie"))


def test_an_account_that_never_chose_a_language_leaves_the_device_polish(client, make_account):
    make_account()
    response = sign_in(client)
    assert "ibok_lang" not in str(response.headers.getlist("Set-Cookie"))
    assert '<html lang="pl">' in client.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client):
    response = client.post("/language", data={"language": "xx"})
    assert "Set-Cookie" not in response.headers
    assert "Zaloguj się" in client.get("/sign-in").get_data(as_text=True)


def _extracted_ids() -> set[str]:
    method_map = [("gateway/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
                "lazy_ngettext": (1, 2)}
    # As babel.cfg: the invoice list's {% cache %} tag would otherwise hide that template's strings.
    options = {"templates/**.html": {"extensions": "gateway.web.fragments.FragmentCache"}}
    found = set()
    extracted = extract_from_dir(str(ROOT), method_map, options, keywords=keywords)
    for _file, _line, message, _comments, _context in extracted:
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_string_in_code_and_templates_has_a_polish_translation():
    with CATALOGUE.open("rb") as po_file:
        catalogue = read_po(po_file, locale="pl")
    translated = {message.id[0] if isinstance(message.id, tuple) else message.id
                  for message in catalogue if message.id and all(message.string if isinstance(message.string, tuple)
                                                                 else [message.string])}
    missing = _extracted_ids() - translated
    assert not missing, f"run pybabel extract/update and translate: {sorted(missing)}"


@pytest.mark.parametrize(
    ("seconds", "text"), [(60, "1 minutę"), (120, "2 minuty"), (300, "5 minut"), (22 * 60, "22 minuty")]
)
def test_polish_plural_forms(app, seconds, text):
    with app.test_request_context():
        assert f"za {text}." in str(throttled(seconds).message)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234.56"), "1 234,56 zł"),
        (Decimal("0"), "0,00 zł"),
        (Decimal("-1234.5"), "-1 234,50 zł"),
        (Decimal("1234567.891"), "1 234 567,89 zł"),
        (Decimal("999.995"), "1 000,00 zł"),
        (Decimal("0.005"), "0,01 zł"),
        (12, "12,00 zł"),
        (None, ""),
    ],
)
def test_money_is_written_the_polish_way(value, text):
    assert format_money(value) == text


def test_decimal_places_can_be_chosen():
    assert format_decimal(Decimal("1234.5678"), 3) == "1 234,568"
    assert format_decimal(Decimal("1234.5"), 0) == "1 235"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_money_text_reads_back_as_the_same_amount(value):
    text = format_money(value)
    assert Decimal(text.removesuffix(" zł").replace(" ", "").replace(",", ".")) == value


def test_dates_are_written_day_month_year(app):
    with app.app_context():
        assert format_date(date(2026, 11, 27)) == "27.11.2026"
        assert format_date(date(2026, 1, 5)) == "05.01.2026"
        assert format_date(None) == ""


@pytest.mark.parametrize(("utc", "local"), [(datetime(2026, 11, 27, 13, 5), "27.11.2026 14:05"),
                                            (datetime(2026, 7, 1, 22, 30), "02.07.2026 00:30")])
def test_stored_utc_times_are_shown_in_polish_time(app, utc, local):
    with app.app_context():
        assert format_date(utc) == local


def test_filters_are_available_in_templates(app):
    with app.app_context():
        template = app.jinja_env.from_string("{{ d|date }} {{ m|money }} {{ q|decimal(3) }}")
        assert template.render(d=date(2026, 11, 27), m=Decimal("1234.56"), q=Decimal("12.5")) == (
            "27.11.2026 1 234,56 zł 12,500"
        )


def test_a_missing_compiled_catalogue_is_reported_at_start(app, tmp_path, caplog):
    from gateway.web.i18n import warn_if_not_compiled

    po = tmp_path / "translations" / "pl" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text("")
    app.root_path = str(tmp_path)
    warn_if_not_compiled(app)
    assert "pl catalogue not compiled" in caplog.text
