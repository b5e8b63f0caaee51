"""The demo accounts exist only in the demo configuration, are created idempotently and can sign in."""

from __future__ import annotations

import re

import pytest

from gateway.accounts.passwords import password_problems
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from tests.portal.conftest import sign_in


@pytest.fixture
def demo_app(config, billing, tmp_path):
    # No in-process deliverer: its thread would outlive the test and its database.
    app = create_app({**config, "PROFILE": "demo", "WTF_CSRF_ENABLED": False, "OUTBOX_IN_PROCESS": False},
                     billing=billing)
    upgrade_database(app)
    return app


def _demo(app, *args):
    return app.test_cli_runner().invoke(args=["accounts", "demo", *args])


def test_demo_command_creates_the_four_accounts_once(demo_app):
    first = _demo(demo_app)
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        "kowalski: created for K-1001, password Demo-IBOK-2026",
        "nowak: created for K-1002, password Demo-IBOK-2026",
        "nowy: created for K-1003, one-time password Start-IBOK-2026",
        "piekarnia: created for K-1004, password Demo-IBOK-2026",
        "zarzadca: created for K-1007 (linked: K-1008, K-1009), password Demo-IBOK-2026",
    ]
    again = _demo(demo_app)
    assert again.output.splitlines() == [
        "kowalski: exists for K-1001, password Demo-IBOK-2026",
        "nowak: exists for K-1002, password Demo-IBOK-2026",
        "nowy: exists for K-1003, one-time password Start-IBOK-2026",
        "piekarnia: exists for K-1004, password Demo-IBOK-2026",
        "zarzadca: exists for K-1007 (linked: K-1008, K-1009), password Demo-IBOK-2026",
    ]


@pytest.mark.parametrize(("login", "customer"), [("kowalski", "Jan Kowalski"), ("nowak", "Anna Nowak")])
def test_active_demo_accounts_go_straight_to_their_data(demo_app, login, customer):
    _demo(demo_app)
    client = demo_app.test_client()
    assert sign_in(client, login=login, password="Demo-IBOK-2026").location == "/"
    assert customer in client.get("/").get_data(as_text=True)


def test_the_property_manager_sees_the_three_communities_balances_and_a_reset_keeps_its_links(demo_app):
    _demo(demo_app)
    assert "zarzadca: restored for K-1007 (linked: K-1008, K-1009)" in _demo(demo_app, "--reset").output
    client = demo_app.test_client()
    assert sign_in(client, login="zarzadca", password="Demo-IBOK-2026").location == "/"
    page = client.get("/").get_data(as_text=True)
    table = page[page.index('id="linked-heading"'):page.index("</table>")]
    assert [number in table for number in ("K-1007", "K-1008", "K-1009")] == [True, True, True]
    assert "ul. Ogrodowa 12" in table and re.search(r"3\s446,44 zł", table) and "nadpłata 400,00 zł" in table
    assert "Wspólnota Mieszkaniowa „Lipowa 5”" in page


def test_kowalski_has_two_premises(demo_app):
    _demo(demo_app)
    client = demo_app.test_client()
    sign_in(client, login="kowalski", password="Demo-IBOK-2026")
    page = client.get("/").get_data(as_text=True)
    premises = page[page.index('<ul class="premises">'):]
    assert premises[: premises.index("</ul>")].count("<li>") == 2


def test_nowy_walks_through_terms_and_a_new_password(demo_app):
    _demo(demo_app)
    client = demo_app.test_client()
    assert sign_in(client, login="nowy", password="Start-IBOK-2026").location == "/"
    assert client.get("/").location == "/welcome"


def test_reset_restores_a_demo_account_that_was_walked_through(demo_app):
    _demo(demo_app)
    client = demo_app.test_client()
    sign_in(client, login="nowy", password="Start-IBOK-2026")
    client.post("/welcome", data={"accept_regulamin_ibok": "y", "accept_regulamin_e_faktury": "y",
                                  "new_password": "Changed-by-tester-1", "confirm_password": "Changed-by-tester-1"})
    assert "nowy: restored for K-1003, one-time password Start-IBOK-2026" in _demo(demo_app, "--reset").output
    fresh = demo_app.test_client()
    sign_in(fresh, login="nowy", password="Start-IBOK-2026")
    assert fresh.get("/").location == "/welcome"


def test_demo_accounts_are_refused_outside_the_demo_configuration(app):
    result = _demo(app)
    assert result.exit_code == 1
    assert "lists no demo accounts" in result.output


@pytest.mark.parametrize("password", ["Demo-IBOK-2026", "Start-IBOK-2026"])
def test_the_demo_passwords_pass_the_password_policy(app, password):
    with app.app_context():
        assert password_problems(password, "kowalski") == []
