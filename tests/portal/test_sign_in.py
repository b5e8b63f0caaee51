"""Signing in: the right password opens the portal; every failure gets one answer and is audited."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from adapters.core.errors import ErpUnavailable
from gateway.accounts.passwords import Passwords
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account, AuditEntry
from tests.portal.conftest import PASSWORD, sign_in


def _audit(app, action=None):
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(db().scalars(query))


def test_correct_password_signs_in_and_shows_the_customer_data(client, make_account):
    make_account()
    response = sign_in(client)
    assert response.status_code == 302
    assert response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Jan Kowalski" in page
    assert "ul. Klonowa 7, 47-100 Strzelce Opolskie" in page


def test_start_page_shows_the_tax_id_masked(signed_in):
    page = signed_in.get("/").get_data(as_text=True)
    assert "********751" in page


def test_wrong_password_is_refused_with_a_generic_message(client, make_account):
    make_account()
    response = sign_in(client, password="Not-The-Password-1")
    assert response.status_code == 200
    assert "Nieprawidłowy login lub hasło." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_login_gets_the_same_answer_as_a_wrong_password(client, make_account):
    make_account()
    wrong = sign_in(client, password="Not-The-Password-1")
    unknown = sign_in(client, login="nobody-here", password="Not-The-Password-1")
    assert wrong.status_code == unknown.status_code
    assert _without_token(wrong).replace("kowalski", "X") == _without_token(unknown).replace("nobody-here", "X")


def _without_token(response) -> str:
    """The page as the customer reads it: a CSRF token is signed with the current second, so it may differ."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', response.get_data(as_text=True))


def test_unknown_login_still_costs_a_password_hash(client, monkeypatch):
    calls = []
    real = Passwords.verify_dummy

    def counted(self, password):
        calls.append(password)
        return real(self, password)

    monkeypatch.setattr(Passwords, "verify_dummy", counted)
    sign_in(client, login="nobody-here", password="Whatever-password-1")
    assert calls == ["Whatever-password-1"]


def test_login_ignores_case_and_surrounding_spaces(client, make_account):
    make_account()
    assert sign_in(client, login="  KowalSKI ").status_code == 302


def test_locked_account_cannot_sign_in(app, client, make_account):
    make_account()
    with app.app_context():
        db().scalars(select(Account)).one().locked = True
        db().commit()
    response = sign_in(client)
    assert response.status_code == 403
    assert "zablokowane" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_expired_one_time_password_is_refused(app, client, make_account):
    make_account(one_time=True, terms=False)
    with app.app_context():
        db().scalars(select(Account)).one().password_set_at = utcnow() - timedelta(days=15)
        db().commit()
    response = sign_in(client)
    assert response.status_code == 403
    assert "Hasło jednorazowe wygasło" in response.get_data(as_text=True)


def test_sign_ins_are_audited_with_address_and_never_a_password(app, client, make_account):
    make_account()
    sign_in(client, password="Wrong-password-typed", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    sign_in(client, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    entries = _audit(app)
    assert [entry.action for entry in entries] == ["sign_in.failed", "sign_in"]
    assert all(entry.client_address == "203.0.113.7" and entry.login == "kowalski" for entry in entries)
    assert json.loads(entries[0].detail) == {"reason": "wrong password"}
    stored = " ".join(entry.detail + (entry.login or "") for entry in entries)
    assert "Wrong-password-typed" not in stored and PASSWORD not in stored


def test_sign_in_stamps_the_last_sign_in_time(app, signed_in):
    with app.app_context():
        assert db().scalars(select(Account)).one().last_sign_in_at is not None


def test_signed_in_customer_opening_sign_in_goes_to_the_start_page(signed_in):
    response = signed_in.get("/sign-in")
    assert response.status_code == 302
    assert response.location == "/"


def test_pages_ask_to_sign_in_and_remember_the_path(client):
    response = client.get("/settings/?tab=1")
    assert response.status_code == 302
    assert response.location == "/sign-in?next=/settings/?tab%3D1"


def test_start_page_explains_when_the_erp_does_not_answer(signed_in, billing):
    billing.fail("get_customer", ErpUnavailable("get_customer", "timeout"))
    response = signed_in.get("/")
    assert response.status_code == 200
    assert "Państwa dane – nie można teraz wyświetlić" in response.get_data(as_text=True)


def test_customer_sees_only_their_own_customer_record(client, make_account, billing):
    make_account(login="nowak", customer_id="K-1002", email="anna.nowak@example.com")
    sign_in(client, login="nowak")
    page = client.get("/").get_data(as_text=True)
    assert "Anna Nowak" in page and "Jan Kowalski" not in page
    assert ("get_customer", ("K-1002",)) in billing.calls
