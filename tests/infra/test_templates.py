"""The session's bytecode cache: a page template compiled by one app serves the next, per language, and a
changed source or another compile setting is compiled anew."""

from __future__ import annotations

import re

import pytest
from jinja2 import DictLoader, Environment

from gateway.app import create_app
from gateway.web.templating import Portal
from tests.infra.templates import SessionBytecodeCache


def _sign_in_page(app, language: str) -> str:
    """The sign-in page without its CSRF token, which differs with each session."""
    client = app.test_client()
    client.set_cookie("ibok_lang", language)
    return re.sub(r'name="csrf_token" value="[^"]*"', "", client.get("/sign-in").get_data(as_text=True))


@pytest.mark.sqlite_only(reason="about templates; the pages read the database on one backend")
def test_a_second_app_renders_each_language_from_the_first_apps_compiled_templates(config, billing):
    cache = Portal.jinja_options["bytecode_cache"]
    assert isinstance(cache, SessionBytecodeCache)
    first, second = (create_app(config, billing=billing) for _ in range(2))
    polish, english = _sign_in_page(first, "pl"), _sign_in_page(first, "en")
    kept = dict(cache.kept)
    assert {"pl", "en"} <= {settings[0] for _name, settings in kept}
    assert "Zaloguj się" in polish and "Sign in" not in polish
    assert "Sign in" in english and "Zaloguj się" not in english
    assert (_sign_in_page(second, "pl"), _sign_in_page(second, "en")) == (polish, english)
    assert cache.kept == kept


def test_a_changed_source_or_autoescape_setting_is_compiled_anew():
    cache = SessionBytecodeCache()
    sources = {"page.html": "<b>{{ name }}</b>"}
    escaping = Environment(loader=DictLoader(sources), bytecode_cache=cache, autoescape=True)
    assert escaping.get_template("page.html").render(name="<i>") == "<b>&lt;i&gt;</b>"
    plain = Environment(loader=DictLoader(sources), bytecode_cache=cache, autoescape=False)
    assert plain.get_template("page.html").render(name="<i>") == "<b><i></b>"
    sources["page.html"] = "<p>{{ name }}</p>"
    assert Environment(loader=DictLoader(sources), bytecode_cache=cache,
                       autoescape=True).get_template("page.html").render(name="<i>") == "<p>&lt;i&gt;</p>"
    assert len(cache.kept) == 2
