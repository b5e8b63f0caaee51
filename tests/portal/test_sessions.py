"""Sessions: renewed at sign-in, ended by time, by sign-out and by a password change, also for copied cookies."""

from __future__ import annotations

import time

from flask import g, template_rendered
from flask.testing import FlaskClient
from flask_login import login_user
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.exceptions import HTTPException

from gateway.db.database import db
from gateway.db.models import Account, SignedInAccount
from gateway.web import sessions
from gateway.web.sessions import SEEN_AT_RESOLUTION_SECONDS, current_account, driver_statement, load_account
from gateway.web.sessions import signed_in as signed_in_now
from tests.portal.conftest import PASSWORD, sign_in

COOKIE = "ibok_session"


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _client_with_cookie(app, value: str) -> FlaskClient:
    other = app.test_client()
    other.set_cookie(COOKIE, value)
    return other


def test_sign_in_starts_a_fresh_session_whatever_the_old_one_held(app, client, make_account):
    make_account()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["_user_id"] = "999:1"
    before = _cookie(client)
    sign_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith("1:")
        assert session["sid"]
    assert _cookie(client) != before
    assert _client_with_cookie(app, before).get("/").status_code == 302


def test_copied_cookie_stops_working_after_sign_out(app, signed_in):
    copied = _cookie(signed_in)
    assert _client_with_cookie(app, copied).get("/").status_code == 200
    assert signed_in.post("/sign-out").status_code == 302
    assert _client_with_cookie(app, copied).get("/").status_code == 302
    assert signed_in.get("/").status_code == 302


def test_copied_cookie_stops_working_after_a_password_change(app, signed_in):
    copied = _cookie(signed_in)
    response = signed_in.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": "Another-long-phrase-7", "confirm_password":
              "Another-long-phrase-7"},
    )
    assert response.status_code == 302
    assert signed_in.get("/").status_code == 200
    assert _client_with_cookie(app, copied).get("/").status_code == 302


def test_idle_session_expires(signed_in):
    with signed_in.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 16 * 60
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in")
    page = signed_in.get(response.location).get_data(as_text=True)
    assert "Sesja wygasła" in page
    assert "Prosimy zalogować się, aby zobaczyć" not in page


def test_activity_keeps_the_session_alive(signed_in):
    with signed_in.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 14 * 60
    assert signed_in.get("/").status_code == 200
    with signed_in.session_transaction() as session:
        assert session["seen_at"] >= int(time.time()) - 5


def test_a_page_soon_after_the_last_sends_no_new_cookie(signed_in):
    """The last-seen time moves in steps of SEEN_AT_RESOLUTION_SECONDS, so most pages need no re-signed cookie."""
    seen = int(time.time()) - SEEN_AT_RESOLUTION_SECONDS + 10
    signed_in.get("/")  # the first page after sign-in adds its CSRF secret to the session
    with signed_in.session_transaction() as session:
        session["seen_at"] = seen
    response = signed_in.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    with signed_in.session_transaction() as session:
        assert session["seen_at"] == seen


def test_the_last_seen_time_moves_once_it_is_a_step_old(signed_in):
    with signed_in.session_transaction() as session:
        session["seen_at"] = int(time.time()) - SEEN_AT_RESOLUTION_SECONDS - 1
    response = signed_in.get("/")
    assert "ibok_session=" in response.headers["Set-Cookie"]
    with signed_in.session_transaction() as session:
        assert session["seen_at"] >= int(time.time()) - 5


def test_absolute_lifetime_ends_even_an_active_session(signed_in):
    with signed_in.session_transaction() as session:
        session["auth_at"] = int(time.time()) - 8 * 3600 - 1
    assert signed_in.get("/").status_code == 302


def test_idle_timeout_follows_configuration(app, signed_in):
    app.config["SESSION_IDLE_MINUTES"] = 5
    with signed_in.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 6 * 60
    assert signed_in.get("/").status_code == 302


def test_signed_cookie_older_than_the_absolute_lifetime_is_refused_by_flask(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 8 * 3600


def test_staff_locking_the_account_ends_its_sessions(app, signed_in):
    result = app.test_cli_runner().invoke(args=["accounts", "lock", "kowalski"])
    assert result.exit_code == 0, result.output
    assert signed_in.get("/").status_code == 302


def test_sign_out_is_a_post(signed_in):
    assert signed_in.get("/sign-out").status_code == 405
    assert signed_in.get("/").status_code == 200


def test_session_cookie_is_http_only_and_same_site_lax(client, make_account):
    make_account()
    response = sign_in(client)
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(COOKIE))
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_a_page_reads_the_account_without_an_orm_session(app, signed_in):
    """Every page checks the session version; a plain query does it, and the ORM is not touched."""
    seen = {}

    def look(sender, template, context, **extra):
        seen["user"] = signed_in_now()
        seen["orm_session"] = "db_session" in g

    with template_rendered.connected_to(look, app):
        assert signed_in.get("/invoices/").status_code == 200
    assert isinstance(seen["user"], SignedInAccount)
    assert seen["user"].customer_id == "K-1001" and seen["user"].login == "kowalski"
    assert seen["orm_session"] is False


def test_changing_the_account_uses_the_orm_object(app, signed_in):

    with app.test_request_context("/"):
        with signed_in.session_transaction() as session:
            user_id = session["_user_id"]

        snapshot = load_account(user_id)
        assert snapshot is not None
        login_user(snapshot)
        account = current_account()
        assert isinstance(account, Account) and account.id == snapshot.id


def test_an_account_deleted_during_the_request_is_signed_out(app, signed_in):
    with signed_in.session_transaction() as session:
        user_id = session["_user_id"]
    with app.test_request_context("/settings/"):
        snapshot = load_account(user_id)
        login_user(snapshot)
        db().delete(db().get(Account, snapshot.id))
        db().commit()
        try:
            current_account()
        except HTTPException as raised:
            assert raised.response is not None and raised.response.status_code == 302
            assert raised.response.location.startswith("/sign-in")
        else:
            raise AssertionError("current_account() gave an account that no longer exists")


def test_a_deleted_account_cookie_is_anonymous(app, signed_in):

    with app.app_context():
        account = db().query(Account).filter_by(login="kowalski").one()
        db().delete(account)
        db().commit()
    assert signed_in.get("/invoices/").status_code == 302


def test_the_session_check_is_compiled_for_each_databases_parameter_style():
    qmark, order = driver_statement(sqlite.dialect())
    assert qmark.endswith("WHERE accounts.id = ?") and order == ["account_id"]
    pyformat, named = driver_statement(postgresql.dialect())
    assert "WHERE accounts.id = %(account_id)s" in pyformat and named is None


def test_the_session_check_passes_named_parameters_as_a_mapping(app, signed_in, monkeypatch):
    """PostgreSQL's driver takes a mapping; SQLite's takes one as well, for :name parameters."""
    statement, _ = driver_statement(sqlite.dialect())
    monkeypatch.setattr(sessions, "driver_statement", lambda dialect: (statement.replace("?", ":account_id"), None))
    with signed_in.session_transaction() as session:
        user_id = session["_user_id"]
    with app.test_request_context("/"):
        account = load_account(user_id)
    assert account is not None and account.login == "kowalski"


def test_the_snapshot_has_true_booleans_whatever_the_driver_gives():
    row = (7, "nowak", "K-1002", "n@example.invalid", 1, 0, 3, "2026-01", None)
    account = SignedInAccount.from_row(row)
    assert account.password_is_one_time is True and account.locked is False and account.get_id() == "7:3"


def test_a_malformed_user_id_in_the_cookie_is_anonymous(app):

    with app.test_request_context("/"):
        assert load_account("1") is None and load_account("x:1") is None and load_account("1:y") is None
