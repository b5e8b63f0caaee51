"""A page per error status in the portal's layout; ERP errors become 404, 502 or 503; the menu lists only real pages."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from adapters.core.errors import ErpBadResponse, ErpNotFound, ErpNotOffered, ErpUnavailable
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.web.nav import add_nav_entry, nav_entries
from tests.portal.conftest import sign_in


@pytest.mark.parametrize(
    ("path", "method", "status", "title"),
    [
        ("/no-such-page", "get", 404, "Nie znaleziono strony"),
        ("/sign-out", "get", 405, "Niedozwolona operacja"),
    ],
)
def test_error_pages_are_polish_and_keep_the_layout(client, path, method, status, title):
    response = getattr(client, method)(path)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in page
    assert "Strzeleckie Wodociągi i Kanalizacja Sp. z o.o." in page and "ul. Mickiewicza 10" in page


@pytest.fixture
def erp_app(config, billing, mailbox):
    """An app with a module-like page that raises whatever ERP error the test names."""
    app = create_app(config, billing=billing)
    errors = {"missing": ErpNotFound("get_invoice", "no such invoice"),
              "down": ErpUnavailable("get_invoice", "timeout"),
              "garbled": ErpBadResponse("get_invoice", "not a number", "amount"),
              "absent": ErpNotOffered("get_invoice_pdf", "the ERP does not offer this operation")}

    @app.get("/boom/<kind>")
    def boom(kind: str) -> str:
        raise errors[kind]

    upgrade_database(app)
    return app


@pytest.mark.parametrize(("kind", "status", "text"), [("missing", 404, "Nie znaleziono strony"),
                                                      ("down", 503, "Chwilowo niedostępne"),
                                                      ("garbled", 502, "Błąd systemu rozliczeniowego"),
                                                      ("absent", 404, "Ta usługa nie jest dostępna w portalu.")])
def test_erp_errors_become_the_right_page(erp_app, kind, status, text):
    response = erp_app.test_client().get(f"/boom/{kind}")
    assert response.status_code == status
    assert text in response.get_data(as_text=True)


MENU = ["/", "/contracts/", "/meters/", "/readings/", "/invoices/", "/settlements/", "/downloads/", "/messages/",
        "/settings/"]


def test_the_menu_lists_every_module_in_order_and_nothing_else(signed_in):
    page = signed_in.get("/").get_data(as_text=True)
    assert 'href="/" aria-current="page">Dane Klienta</a>' in page
    assert 'href="/settings/">Ustawienia</a>' in page
    menu = page[page.index('aria-label="Menu główne"'):page.index("</nav>", page.index('aria-label="Menu główne"'))]
    links = re.findall(r'<li><a href="([^"]+)"', menu)  # the menu's own, not the start page's links to items
    assert links == MENU
    for link in links:
        assert signed_in.get(link).status_code == 200, link


def test_a_module_blueprint_adds_its_own_menu_entry_in_order(config, billing, mailbox, make_account):
    module = Blueprint("invoices_test", __name__, url_prefix="/invoices-test")
    add_nav_entry(module, "index", _l("Invoices"), order=400)
    module.add_url_rule("/", "index", lambda: "invoices")
    app = create_app(config, billing=billing)
    app.register_blueprint(module)
    with app.app_context():
        endpoints = [entry.endpoint for entry in nav_entries()]
        assert endpoints[0] == "home.index" and endpoints[-1] == "settings.index"
        assert endpoints.index("invoices_test.index") == endpoints.index("invoices.index") + 1
    other = create_app(config, billing=billing)
    with other.app_context():
        assert "invoices_test.index" not in [entry.endpoint for entry in nav_entries()]


def test_the_menu_is_hidden_before_sign_in_and_during_the_first_sign_in(client, make_account):
    assert "Menu główne" not in client.get("/sign-in").get_data(as_text=True)
    make_account(login="nowy", customer_id="K-1003", one_time=True, terms=False)
    sign_in(client, login="nowy")
    assert "Menu główne" not in client.get("/welcome").get_data(as_text=True)


def test_branding_comes_from_configuration(app, client):
    app.config.update(UTILITY_NAME="Wodociągi Testowe Sp. z o.o.", UTILITY_PHONE="77 123 45 67")
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Wodociągi Testowe Sp. z o.o." in page and "77 123 45 67" in page


def test_a_configured_logo_file_is_served(app, client, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    app.config["UTILITY_LOGO"] = str(logo)
    with client.get("/logo") as response:
        assert response.status_code == 200 and response.mimetype == "image/png"


def test_the_layout_is_built_for_small_screens(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    with client.get("/static/css/portal.css") as css:
        text = css.get_data(as_text=True)
    assert "min-width: 320px" in text and "@media (min-width: 40rem)" in text
