"""What every page reuses instead of rebuilding it: texts compiled in per language, labels, the menu, fixed links."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Blueprint, render_template, url_for
from flask.templating import DispatchingJinjaLoader
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from gateway.pages.invoices.params import STATUS_LABELS
from gateway.web import i18n
from gateway.web.i18n import label_texts
from gateway.web.links import fixed_url
from gateway.web.nav import nav_links
from gateway.web.templating import constant_translation


def page_template(app, source: str):
    """The source compiled as a page's template is, for the request's language."""
    return app.jinja_env.for_page().from_string(source)


def test_constant_texts_are_compiled_into_the_template_per_language(app):
    with app.test_request_context("/"):
        polish = app.jinja_env.for_page()
        code = polish.compile('<h1>{{ _("Invoices") }}</h1>', raw=True)
        assert "Faktury" in code and "gettext" not in code and "'_'" not in code
        with force_locale("en"):
            english = app.jinja_env.for_page()
            assert english is not polish and english.language == "en"
            assert "Invoices" in english.compile('{{ _("Invoices") }}', raw=True)


def test_pages_render_in_their_language(app):
    with app.test_request_context("/"):
        assert "Przejdź do treści" in render_template("errors/error.html", status=404, title="x", message="y")
        assert page_template(app, "{{ _('Invoices') }}|{{ _('Invoices')|upper }}").render() == "Faktury|FAKTURY"
        with force_locale("en"):
            assert page_template(app, "{{ _('Invoices') }}").render() == "Invoices"


def test_output_is_escaped_in_pages_and_left_alone_in_text_templates(app):
    source = "{{ value }}|{{ safe }}|{{ value|upper }}{% autoescape false %}|{{ value }}{% endautoescape %}"
    values = {"value": "<a href='x'>&\"", "safe": Markup("<b>ok</b>")}
    with app.test_request_context("/"):
        page = page_template(app, source)
        escaped, upper = "&lt;a href=&#39;x&#39;&gt;&amp;&#34;", "&lt;A HREF=&#39;X&#39;&gt;&amp;&#34;"
        assert page.render(**values) == f"{escaped}|<b>ok</b>|{upper}|<a href='x'>&\""
        text = app.jinja_env.for_page().overlay(autoescape=False)
        assert text.from_string("{{ value }}").render(**values) == values["value"]


def test_macros_and_captured_blocks_keep_their_markup_safe(app):
    source = ("{% macro cell(text) %}<td>{{ text }}</td>{% endmacro %}{% set row %}<tr>{{ cell(value) }}</tr>"
              "{% endset %}{{ row }}|{{ cell(value) }}")
    with app.test_request_context("/"):
        assert page_template(app, source).render(value="<x>") == "<tr><td>&lt;x&gt;</td></tr>|<td>&lt;x&gt;</td>"


def test_texts_with_values_escape_the_values_but_not_the_translation(app):
    with app.test_request_context("/"):
        template = page_template(app, "{{ _('Download invoice %(number)s as PDF', number=n) }}")
        assert template.render(n="<b>F/1</b>") == "Pobierz fakturę &lt;b&gt;F/1&lt;/b&gt; w formacie PDF"


def test_texts_with_values_are_left_to_flask_babels_gettext_at_render_time(app):
    source = "{{ _('Download invoice %(number)s as PDF', number=n) }}"
    with app.test_request_context("/"):
        html = app.jinja_env.for_page()
        code = html.compile(source, raw=True)
        assert "Download invoice %(number)s as PDF" in code and "Pobierz" not in code
        text = html.overlay(autoescape=False)
        assert text.from_string(source).render(n="<b>") == "Pobierz fakturę <b> w formacie PDF"


@pytest.mark.parametrize("source", [
    "{{ _('Invoices') }}|{{ _('Invoices')|upper }}|{{ _('No such text anywhere, 100%% kept') }}",
    '<a title="{{ _("Invoices") }}">{{ _("Download") ~ n }}</a>',
    "{{ _('Download invoice %(number)s as PDF', number=n) }}",
    '<a title="{{ _("Download invoice %(number)s as PDF", number=n ~ "!") }}">',
    "{{ _('Page %(number)d of %(pages)d', number=amount, pages=(amount * 2)|int) }}",
    "{{ _('Page %(number)d of %(pages)d', number=1, pages=2)|upper }}",
    "{{ _('%(share)s%% of %(total)s, again %(share)s', share=n, total=amount, unused=n) }}",
])
def test_pages_render_as_flask_babels_gettext_renders_them(app, source):
    """Constants folded per language, or nothing folded (Flask-Babel's gettext at render time): the same page."""
    values = {"n": "<b>F/1</b>", "amount": Decimal("2.70")}
    with app.test_request_context("/"):
        assert page_template(app, source).render(**values) == app.jinja_env.from_string(source).render(**values)


@pytest.mark.parametrize("call", ["_('Page %(number)d of %(pages)d', **values)",
                                  "_('Page %(number)d of %(pages)d', number=values.number, pages=(2, 3)[0],)"])
def test_texts_with_values_translate_however_the_values_are_given(app, call):
    with app.test_request_context("/"):
        template = page_template(app, "{{ " + call + " }}")
        assert template.render(values={"number": 1, "pages": 2}) == "Strona 1 z 2"


def test_values_with_nested_brackets_are_filled_in(app):
    with app.test_request_context("/"):
        source = "{{ _('Page %(number)d of %(pages)d', number=[1, 2][0], pages={'a': (2)}['a']) }}"
        template = page_template(app, source)
        assert template.render() == "Strona 1 z 2"


def test_constant_translation_follows_jinjas_percent_rule():
    """Jinja's new-style gettext always formats, so a doubled %% shows as one %; a text expecting values
    is left to render time, where it fails as it always did."""
    assert constant_translation(lambda text: text, "100%% done") == "100% done"
    assert constant_translation(lambda text: text, "%(count)d found") is None


def test_only_a_call_of_underscore_itself_is_folded(app):
    class Helper:
        def _(self, text):
            return "own method"

    with app.test_request_context("/"):
        assert page_template(app, "{{ helper._('Invoices') }}").render(helper=Helper()) == "own method"


def test_macros_imported_without_the_page_context_translate_in_the_pages_language(app):
    source = '{% from "_listing.html" import unavailable %}{{ unavailable("X") }}'
    with app.test_request_context("/"):
        assert "system rozliczeniowy nie odpowiada" in page_template(app, source).render()
        with force_locale("en"):
            assert "billing system is not responding" in page_template(app, source).render()


def test_globals_added_after_the_first_page_reach_every_language(app):
    with app.test_request_context("/"):
        app.jinja_env.for_page()
        app.add_template_global(lambda: "late", "late_global")
        assert page_template(app, "{{ late_global() }}").render() == "late"


def test_e_mails_rendered_by_a_command_use_the_default_language(app):
    with app.app_context():
        assert app.jinja_env.for_page().language == "pl"


def test_constant_labels_are_translated_once_per_language(app):
    with app.test_request_context("/"):
        polish = label_texts(STATUS_LABELS)
        assert set(polish.values()) == {"zapłacona", "niezapłacona", "częściowo zapłacona"}
        assert label_texts(STATUS_LABELS) is polish
        with force_locale("en"):
            assert set(label_texts(STATUS_LABELS).values()) == {"paid", "unpaid", "partly paid"}


def test_throwaway_label_tables_do_not_grow_the_cache_without_end(app, monkeypatch):
    monkeypatch.setattr(i18n, "_label_tables", {})
    tables = [{"page": _l("Page")} for _ in range(i18n.MAX_LABEL_TABLES + 10)]
    with app.test_request_context("/"):
        for table in tables:
            assert label_texts(table) == {"page": "Strona"}
    assert len(i18n._label_tables) <= i18n.MAX_LABEL_TABLES


def test_a_reused_table_id_never_returns_another_tables_labels(app, monkeypatch):
    monkeypatch.setattr(i18n, "_label_tables", {})
    with app.test_request_context("/"):
        first = {"x": _l("Page")}
        assert label_texts(first) == {"x": "Strona"}
        key = next(iter(i18n._label_tables))
        other = {"x": _l("Year")}
        i18n._label_tables[(id(other), key[1])] = i18n._label_tables[key]  # as if `other` took first's address
        assert label_texts(other) == {"x": "Rok"}


def test_the_menu_follows_the_language_and_the_mount_point(app):
    with app.test_request_context("/"):
        polish = nav_links()
        assert [link.label for link in polish][:2] == ["Dane Klienta", "Umowy"]
        assert polish[0].url == "/" and polish[0].endpoint == "home.index"
        assert nav_links() is polish
        with force_locale("en"):
            assert nav_links()[0].label == "Customer data"
    with app.test_request_context("/", base_url="http://portal.example/ibok/"):
        assert nav_links()[0].url == "/ibok/"


def test_a_blueprint_registered_later_joins_the_menu(app):
    with app.test_request_context("/"):
        before = nav_links()
    extra = Blueprint("late_test", __name__, url_prefix="/late")
    extra.add_url_rule("/", "index", lambda: "late")
    from gateway.web.nav import add_nav_entry
    add_nav_entry(extra, "index", _l("Messages"), order=950)
    app.register_blueprint(extra)
    with app.test_request_context("/"):
        after = nav_links()
    assert len(after) == len(before) + 1 and after[-1].url == "/late/"


def test_a_command_rendering_an_email_has_no_menu(app):
    with app.app_context():
        assert nav_links() == ()


def test_fixed_links_are_the_links_url_for_builds_for_each_mount_point(app):
    for base in ("http://localhost/", "http://portal.example/ibok/"):
        with app.test_request_context("/", base_url=base):
            assert fixed_url("static", filename="css/portal.css") == url_for("static", filename="css/portal.css")
            assert fixed_url("auth.terms", key="regulamin-ibok") == url_for("auth.terms", key="regulamin-ibok")
            assert fixed_url("home.index") == url_for("home.index")


@pytest.fixture
def compile_at_start(config):
    config["COMPILE_TEMPLATES_AT_START"] = True
    return config


def loaded_templates(monkeypatch) -> list[str]:
    """The names of the templates Jinja loads from here on (each load compiles, or takes the tests' bytecode)."""
    loaded: list[str] = []
    original = DispatchingJinjaLoader.get_source

    def recording(self, environment, template):
        loaded.append(template)
        return original(self, environment, template)

    monkeypatch.setattr(DispatchingJinjaLoader, "get_source", recording)
    return loaded


def test_a_worker_compiles_every_template_in_every_language_before_its_first_request(
        compile_at_start, signed_in, monkeypatch):
    """The first visitor of a page after a start does not wait for its template (gunicorn turns this on)."""
    loaded = loaded_templates(monkeypatch)
    for path in ("/", "/invoices/", "/contracts/", "/settings/"):
        assert signed_in.get(path).status_code == 200
    signed_in.set_cookie(i18n.LANGUAGE_COOKIE, "en")
    assert '<html lang="en">' in signed_in.get("/invoices/").get_data(as_text=True)
    assert loaded == []


def test_templates_are_loaded_on_first_use_where_nothing_asks_for_it_at_start(app, monkeypatch):
    """Commands and tests build the app without paying for every template."""
    loaded = loaded_templates(monkeypatch)
    assert app.test_client().get("/sign-in").status_code == 200
    assert "auth/sign_in.html" in loaded and "invoices/list.html" not in loaded
