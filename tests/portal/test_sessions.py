"""Sessions: renewed at sign-in, ended by time, by sign-out and by a password change, also for copied cookies."""

from __future__ import annotations

import time

import pytest
from flask import g, template_rendered
from flask.testing import FlaskClient
from flask_login import login_user
from itsdangerous import TimestampSigner
from sqlalchemy import event
from werkzeug.exceptions import HTTPException

from gateway.db.database import db, engine_of
from gateway.db.models import Account
from gateway.web.sessions import SEEN_AT_RESOLUTION_SECONDS, current_account, load_account, signed_in_account
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


@pytest.mark.parametrize(("age", "status"), [(8 * 3600 - 60, 200), (8 * 3600 + 60, 302)])
def test_signed_cookie_older_than_the_absolute_lifetime_is_refused_by_flask(client, make_account, monkeypatch,
                                                                            age, status):
    """Only the signature's time is old here (the session's own sign-in time is now): Flask's check alone decides."""
    make_account()
    signed_at = int(time.time()) - age
    with monkeypatch.context() as earlier:
        earlier.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at)
        sign_in(client)
    assert client.get("/").status_code == status


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


def test_a_page_reads_the_account_in_one_query_without_an_orm_session(app, signed_in):
    """Every page checks the session version; one query does it, and a page that only reads opens no ORM session."""
    statements: list[str] = []
    seen: dict[str, object] = {}

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def look(sender, template, context, **extra):
        account = signed_in_account()
        seen["account"] = (isinstance(account, Account), account.customer_id, account.login)
        seen["orm_session"] = "db_session" in g

    engine = engine_of(app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        with template_rendered.connected_to(look, app):
            assert signed_in.get("/invoices/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "FROM accounts" in statements[0]
    assert seen["account"] == (True, "K-1001", "kowalski")
    assert seen["orm_session"] is False


def _user_id(client: FlaskClient) -> str:
    """What the session cookie says of who is signed in: the account id and its session version."""
    with client.session_transaction() as session:
        return str(session["_user_id"])


def _signed_in_as(user_id: str) -> Account:
    """Load the account as a request does and sign it in for the request under way."""
    loaded = load_account(user_id)
    assert loaded is not None
    login_user(loaded)
    return loaded


def test_changing_the_account_changes_its_row(app, signed_in):
    user_id = _user_id(signed_in)
    with app.test_request_context("/"):
        loaded = _signed_in_as(user_id)
        account = current_account()
        assert account in db() and account.id == loaded.id
        account.email = "nowy.adres@example.com"
        db().commit()
    with app.app_context():
        assert db().get_one(Account, loaded.id).email == "nowy.adres@example.com"


def test_an_account_deleted_while_its_page_runs_is_asked_to_sign_in_not_an_error(app, signed_in):
    user_id = _user_id(signed_in)
    with app.test_request_context("/settings/"):
        loaded = _signed_in_as(user_id)
        db().delete(db().get_one(Account, loaded.id))
        db().commit()
        with pytest.raises(HTTPException) as refused:
            current_account()
    response = refused.value.get_response()
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_loaded_account_has_the_rows_values(app, signed_in):
    user_id = _user_id(signed_in)
    with app.test_request_context("/"):
        account = load_account(user_id)
    assert account is not None
    assert (account.login, account.customer_id, account.email) == ("kowalski", "K-1001", "jan.kowalski@example.com")
    assert account.password_is_one_time is False and account.locked is False
    assert account.get_id() == user_id and account.is_active


def test_a_deleted_account_cookie_is_anonymous(app, signed_in):

    with app.app_context():
        account = db().query(Account).filter_by(login="kowalski").one()
        db().delete(account)
        db().commit()
    assert signed_in.get("/invoices/").status_code == 302


def test_a_page_asking_for_the_account_of_a_visitor_asks_to_sign_in(app):
    with app.test_request_context("/settings/"):
        try:
            current_account()
        except HTTPException as raised:
            assert raised.response is not None and raised.response.status_code == 302
            assert raised.response.location.startswith("/sign-in")
        else:
            raise AssertionError("current_account() gave an account to a visitor")


def test_a_malformed_user_id_in_the_cookie_is_anonymous(app):

    with app.test_request_context("/"):
        assert load_account("1") is None and load_account("x:1") is None and load_account("1:y") is None
