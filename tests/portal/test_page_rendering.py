"""What every page reuses instead of rebuilding it: the catalogue bound once, constant labels, the menu, row links."""

from __future__ import annotations

import pytest
from flask import Blueprint, render_template_string, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from gateway import create_app, i18n
from gateway.i18n import label_texts
from gateway.invoices.params import STATUS_LABELS
from gateway.links import row_link
from gateway.nav import nav_links

AWKWARD_IDS = ["F-1001", "FV 2026/11", "100%", "a?b#c", "zażółć", "<x>&'\"", "..", "IbokRowIdMarker"]


def test_underscore_in_a_page_uses_the_pages_language(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ _('Invoices') }}") == "Faktury"
        with force_locale("en"):
            assert render_template_string("{{ _('Invoices') }}") == "Invoices"


def test_underscore_escapes_what_it_fills_in_but_not_the_translation(app):
    with app.test_request_context("/"):
        page = render_template_string("{{ _('Download invoice %(number)s as PDF', number=n) }}", n="<b>F/1</b>")
    assert page == "Pobierz fakturę &lt;b&gt;F/1&lt;/b&gt; w formacie PDF"


def test_underscore_in_a_text_template_escapes_nothing(app):
    with app.test_request_context("/"):
        text_templates = app.jinja_env.overlay(autoescape=False)  # as for mail/*.txt
        template = text_templates.from_string("{{ _('Download invoice %(number)s as PDF', number=n) }}")
        assert template.render(n="<b>", **i18n.page_translations()) == "Pobierz fakturę <b> w formacie PDF"


def test_underscore_without_variables_keeps_jinjas_percent_rule(app):
    """Jinja's own new-style gettext always formats, so a doubled %% in a msgid shows as one %."""
    with app.test_request_context("/"):
        assert render_template_string("{{ _('100%% done') }}") == "100% done"


def test_macros_imported_without_the_page_context_still_translate(app):
    with app.test_request_context("/"):
        page = render_template_string('{% from "_listing.html" import unavailable %}{{ unavailable("X") }}')
    assert "system rozliczeniowy nie odpowiada" in page


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
    from gateway.nav import add_nav_entry
    add_nav_entry(extra, "index", _l("Messages"), order=950)
    app.register_blueprint(extra)
    with app.test_request_context("/"):
        after = nav_links()
    assert len(after) == len(before) + 1 and after[-1].url == "/late/"


def test_a_command_rendering_an_email_has_no_menu(app):
    with app.app_context():
        assert nav_links() == ()


@pytest.mark.parametrize("value", AWKWARD_IDS)
def test_row_links_are_the_links_url_for_builds(app, value):
    with app.test_request_context("/", base_url="http://portal.example/ibok/"):
        for endpoint, argument in [("invoices.details", "invoice_id"), ("invoices.download", "invoice_id"),
                                   ("meters.details", "meter_id"), ("messages.detail", "message_id")]:
            assert row_link(endpoint, argument)(value) == url_for(endpoint, **{argument: value})


def test_a_route_with_its_own_converter_falls_back_to_url_for(config, billing):
    app = create_app(config, billing=billing)
    app.add_url_rule("/numbered/<int:number>", "numbered", lambda number: str(number))
    app.add_url_rule("/paths/<path:rest>", "paths", lambda rest: rest)
    with app.test_request_context("/"):
        assert row_link("numbered", "number")(7) == "/numbered/7"
        assert row_link("paths", "rest")("a/b c") == url_for("paths", rest="a/b c")
