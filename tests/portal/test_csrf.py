"""CSRF: every form carries a token and every POST without one is refused (tests here switch CSRF back on)."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner

from gateway.app import create_app
from gateway.cli.db import upgrade_database
from tests.portal.conftest import PASSWORD

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(config, billing, mailbox):
    """This module's app checks CSRF tokens, as production does."""
    app = create_app({**config, "WTF_CSRF_ENABLED": True}, billing=billing)
    upgrade_database(app)
    return app


@pytest.fixture
def csrf_client(client, make_account):
    make_account()
    return client


def _token(page: str) -> str:
    match = TOKEN.search(page)
    assert match, page
    return match.group(1) or match.group(2)


def _signed_in(client):
    token = _token(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/sign-in", data={"login": "kowalski", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def test_sign_in_without_a_token_is_refused(csrf_client):
    response = csrf_client.post("/sign-in", data={"login": "kowalski", "password": PASSWORD})
    assert response.status_code == 400
    assert "Formularz wygasł" in response.get_data(as_text=True)
    assert csrf_client.get("/").status_code == 302


def test_sign_in_with_a_token_from_another_session_is_refused(app, csrf_client):
    foreign = _token(app.test_client().get("/sign-in").get_data(as_text=True))
    response = csrf_client.post("/sign-in", data={"login": "kowalski", "password": PASSWORD, "csrf_token": foreign})
    assert response.status_code == 400


def test_sign_in_with_the_pages_token_works(csrf_client):
    _signed_in(csrf_client)
    assert csrf_client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/sign-out", {}),
        ("/settings/password", {"current_password": PASSWORD, "new_password": "A-new-long-phrase-1",
                                "confirm_password": "A-new-long-phrase-1"}),
        ("/settings/e-invoice", {"enable": "1", "idempotency_key": "7d1e4a4e-2b0c-4d5e-9a51-3f1c2b9d8e71"}),
        ("/language", {"language": "en"}),
        ("/readings/W-1001-2/sent/1/withdraw", {}),
        ("/customer", {"customer": "K-1001"}),
    ],
)
def test_signed_in_posts_without_a_token_are_refused(csrf_client, billing, path, data):
    _signed_in(csrf_client)
    response = csrf_client.post(path, data=data)
    assert response.status_code == 400
    assert csrf_client.get("/").status_code == 200
    assert not [call for call in billing.calls if call[0] == "set_einvoice_consent"]


@pytest.mark.parametrize("path", ["/sign-in", "/password-reset", "/", "/settings/"])
def test_every_post_form_on_a_page_carries_a_token(csrf_client, path):
    if path in ("/", "/settings/"):
        _signed_in(csrf_client)
    page = csrf_client.get(path).get_data(as_text=True)
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page, flags=re.S)
    assert forms
    assert all('name="csrf_token"' in form for form in forms)


def test_the_whole_first_sign_in_works_with_tokens(client, make_account):
    make_account(login="nowy", customer_id="K-1003", one_time=True, terms=False)
    token = _token(client.get("/sign-in").get_data(as_text=True))
    client.post("/sign-in", data={"login": "nowy", "password": PASSWORD, "csrf_token": token})
    token = _token(client.get("/welcome").get_data(as_text=True))
    response = client.post("/welcome", data={"csrf_token": token, "accept_regulamin_ibok": "y",
                                             "accept_regulamin_e_faktury": "y", "new_password": "Brand-new-phrase-77",
                                             "confirm_password": "Brand-new-phrase-77"})
    assert response.location == "/"
    assert client.get("/").status_code == 200


def test_a_token_from_an_earlier_page_of_the_session_still_works(app, csrf_client):
    client = _signed_in(csrf_client)
    earlier = _token(client.get("/").get_data(as_text=True))
    client.get("/invoices/")
    response = client.post("/language", data={"language": "en", "next": "/", "csrf_token": earlier})
    assert response.status_code == 302


def test_a_token_older_than_the_time_limit_is_refused(app, csrf_client, monkeypatch):
    client = _signed_in(csrf_client)
    token = _token(client.get("/").get_data(as_text=True))
    app.config["WTF_CSRF_TIME_LIMIT"] = 1
    # Two seconds later by the signer's clock (itsdangerous stamps whole seconds), without waiting for them.
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + 2)
    assert client.post("/language", data={"language": "en", "next": "/", "csrf_token": token}).status_code == 400


def test_a_new_session_never_gets_the_old_sessions_token(app, csrf_client, make_account):
    client = _signed_in(csrf_client)
    before = _token(client.get("/").get_data(as_text=True))
    client.post("/sign-out", data={"csrf_token": before})
    _signed_in(client)
    after = _token(client.get("/").get_data(as_text=True))
    assert after != before
    response = client.post("/language", data={"language": "en", "next": "/", "csrf_token": before})
    assert response.status_code == 400


def test_another_browser_never_gets_this_sessions_token(app, csrf_client):
    mine = _token(_signed_in(csrf_client).get("/").get_data(as_text=True))
    other = app.test_client()
    theirs = _token(other.get("/sign-in").get_data(as_text=True))
    assert theirs != mine
    assert other.post("/language", data={"language": "en", "csrf_token": mine}).status_code == 400
