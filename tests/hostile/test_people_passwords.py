"""Weak new passwords and stale credentials: a new password that is guessable at the 12-character minimum, or
the one the customer already holds (the e-mailed one-time password, the current one), is refused; a reset link
dies and every session ends when the office changes the account's e-mail address."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.accounts.service import set_email
from gateway.db.database import db
from gateway.db.models import Account
from tests.hostile.checks import assert_safe, timed
from tests.matching import search
from tests.portal_fixtures import PASSWORD, sign_in

ONE_TIME = "abcd-EFGH-jkmn-PQRS"
STRONG = "Zielona-Herbata-pod-Lasem"
REFUSED = "Nowe hasło musi różnić się od dotychczasowego."


def settings_change(client, current: str, new: str):
    return client.post("/settings/password", data={"current_password": current, "new_password": new,
                                                   "confirm_password": new})


def stored_hash(app, login: str = "kowalski") -> str:
    with app.app_context():
        return db().scalars(select(Account.password_hash).where(Account.login == login)).one()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa", "nie może powtarzać"),
        ("123456789012", "nie może być ciągiem"),
        ("qwertyuiopas", "łatwo odgadnąć"),
        ("Kowalski-Kowalski", "łatwo odgadnąć"),
        ("Nowak-Nowak-Nowak", "nie może powtarzać"),
        ("Moje-K1001-Haslo", "łatwo odgadnąć"),
        ("password1234", "najpopularniejszych"),
        ("kwiatek12345", "łatwo odgadnąć"),
    ],
)
def test_a_guessable_password_at_the_minimum_length_is_refused(app, signed_in, logs, password, message):
    before = stored_hash(app)
    response = timed(settings_change, signed_in, PASSWORD, password)
    assert_safe(response, logs, statuses=[400])
    assert message in response.page
    assert stored_hash(app) == before


def test_a_long_password_is_estimated_whole_and_stored_whole(app, signed_in):
    long_one = "Zielona-Herbata-pod-Lasem-" * 4 + "Rano"  # 108 characters: beyond zxcvbn's own 72
    assert settings_change(signed_in, PASSWORD, long_one).status_code == 302
    assert sign_in(app.test_client(), password=long_one).location == "/"
    assert sign_in(app.test_client(), password=long_one[:72]).status_code == 200


def test_the_one_time_password_cannot_be_kept_at_the_first_sign_in(app, client, make_account, logs):
    make_account(login="nowy", customer_id="K-1003", one_time=True, terms=False, password=ONE_TIME)
    assert sign_in(client, login="nowy", password=ONE_TIME).status_code == 302
    response = timed(client.post, "/welcome", data={"accept_regulamin_ibok": "y", "accept_regulamin_e_faktury": "y",
                                                    "new_password": ONE_TIME, "confirm_password": ONE_TIME})
    assert_safe(response, logs, statuses=[200])
    assert REFUSED in response.page
    assert client.get("/").location == "/welcome"


def test_the_current_password_cannot_be_set_again_in_the_settings(app, signed_in, logs):
    before = stored_hash(app)
    response = timed(settings_change, signed_in, PASSWORD, PASSWORD)
    assert_safe(response, logs, statuses=[400])
    assert REFUSED in response.page
    assert stored_hash(app) == before


def test_a_reset_link_cannot_set_the_password_already_held(app, make_account, mailbox):
    make_account(login="nowy", customer_id="K-1003", one_time=True, password=ONE_TIME, email="nowy@example.com")
    before = stored_hash(app, "nowy")
    app.test_client().post("/password-reset", data={"login_or_email": "nowy"}, follow_redirects=True)
    link = search(r"http://portal\.test(/password-reset/\S+)", mailbox.received[-1].get_content()).group(1)
    response = app.test_client().post(link, data={"new_password": ONE_TIME, "confirm_password": ONE_TIME})
    assert REFUSED in response.get_data(as_text=True)
    assert stored_hash(app, "nowy") == before


def test_a_reset_link_dies_when_the_e_mail_address_changes(app, make_account, mailbox, logs):
    make_account()
    app.test_client().post("/password-reset", data={"login_or_email": "kowalski"}, follow_redirects=True)
    link = search(r"http://portal\.test(/password-reset/\S+)", mailbox.received[-1].get_content()).group(1)
    with app.app_context():
        set_email("kowalski", "nowy.adres@example.org")
    response = timed(app.test_client().post, link, data={"new_password": STRONG, "confirm_password": STRONG})
    assert_safe(response, logs, statuses=[400])
    assert sign_in(app.test_client(), password=PASSWORD).location == "/"


def test_changing_the_e_mail_address_ends_the_accounts_sessions(app, signed_in):
    assert signed_in.get("/").status_code == 200
    with app.app_context():
        set_email("kowalski", "nowy.adres@example.org")
    assert signed_in.get("/").location.startswith("/sign-in")
