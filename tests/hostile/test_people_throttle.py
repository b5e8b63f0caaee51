"""Throttling under attack: parallel guesses get no more password checks than the policy allows, counters hold
under concurrent first failures, a stranger cannot lock out a customer on a browser they signed in with before,
throttled attempts do not flood the audit log, and a password typed as the login is never stored readable."""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from gateway.accounts import throttle
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import AuditEntry
from tests.hostile.conftest import add_account
from tests.portal_fixtures import sign_in

WRONG = "Not-the-password-at-all-1"
SECRET_TYPED = "Moje-Tajne-Haslo-2026"


@pytest.fixture
def frozen(monkeypatch):
    """The throttle's clock stopped, so a slow machine cannot let a delay run out in the middle of a test."""
    now = utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: now)


@pytest.fixture
def portal_app(config, mailbox):
    app = create_app(config)
    upgrade_database(app)
    add_account(app)
    return app


def audit_rows(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db().scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def at_once(count: int, request) -> list[int]:
    """`count` requests released together from their own threads, as a burst from a botnet would come."""
    barrier = threading.Barrier(count)

    def one(number: int) -> int:
        barrier.wait()
        return request(number)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def wrong_guess(app, login: str = "kowalski", address=lambda number: "192.0.2.10"):
    def guess(number: int) -> int:
        client = app.test_client()
        return sign_in(client, login=login, password=WRONG, environ_base={"REMOTE_ADDR": address(number)}).status_code
    return guess


def test_a_burst_from_one_address_gets_only_the_five_free_checks(portal_app, frozen):
    statuses = at_once(24, wrong_guess(portal_app))
    assert sorted(set(statuses)) == [200, 429]
    assert len(audit_rows(portal_app, "sign_in.failed")) == 5


def test_sign_ins_in_flight_behind_one_address_use_up_none_of_its_failures(portal_app, frozen):
    """A mobile operator's address carries many customers at once: while thirty of them wait for their password
    checks, one more customer with the right password is let in."""
    with portal_app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.80"}):
        for number in range(30):
            assert throttle.reserve_all(throttle.sign_in_buckets(f"klient{number}", "192.0.2.80")) == 0
    assert sign_in(portal_app.test_client(), environ_base={"REMOTE_ADDR": "192.0.2.80"}).status_code == 302


def test_a_burst_from_many_addresses_stops_at_the_hourly_cap_of_twenty(portal_app):
    statuses = at_once(32, wrong_guess(portal_app, address=lambda number: f"198.51.100.{number}"))
    assert statuses.count(200) == 20 and statuses.count(429) == 12
    assert len(audit_rows(portal_app, "sign_in.failed")) == 20


def test_concurrent_first_failures_of_an_unseen_login_are_all_counted(config, mailbox):
    app = create_app({**config, "THROTTLE_LOGIN_GUESSES_PER_HOUR": 8})
    upgrade_database(app)
    statuses = at_once(8, wrong_guess(app, login="ghost", address=lambda number: f"203.0.113.{number}"))
    assert statuses == [200] * 8
    assert wrong_guess(app, login="ghost", address=lambda number: "203.0.113.99")(0) == 429


def test_a_burst_of_wrong_current_passwords_in_settings_gets_only_five_checks(portal_app, frozen):
    signed_in = portal_app.test_client()
    assert sign_in(signed_in).status_code == 302
    cookies = [(name, signed_in.get_cookie(name).value) for name in ("ibok_session", "ibok_device")]

    def change(number: int) -> int:
        client = portal_app.test_client()
        for key, value in cookies:
            client.set_cookie(key, value)
        form = {"current_password": WRONG, "new_password": "Another-long-phrase-77",
                "confirm_password": "Another-long-phrase-77"}
        return client.post("/settings/password", data=form).status_code

    statuses = at_once(16, change)
    assert set(statuses) <= {400, 429} and 429 in statuses
    assert len(audit_rows(portal_app, "password.change_failed")) == 5


def test_a_stranger_pacing_at_the_delay_never_locks_out_the_customers_browser(portal_app, later):
    """As in the attack: six wrong guesses in a row, each the moment the delay allows, the customer signing in
    right after them, round after round."""
    customer, stranger = portal_app.test_client(), portal_app.test_client()
    assert sign_in(customer, environ_base={"REMOTE_ADDR": "192.0.2.50"}).status_code == 302
    customer.post("/sign-out")
    answers = []
    for _ in range(10):
        checked = 0
        while checked < 6:
            answer = sign_in(stranger, password=WRONG, environ_base={"REMOTE_ADDR": "203.0.113.66"})
            checked += answer.status_code == 200
            later(int(answer.headers.get("Retry-After", "0")))
        answers.append(sign_in(customer, environ_base={"REMOTE_ADDR": "192.0.2.50"}).status_code)
        customer.post("/sign-out")
    assert answers == [302] * 10


def test_strangers_from_many_addresses_do_not_lock_out_the_customers_browser(portal_app):
    customer = portal_app.test_client()
    assert sign_in(customer, environ_base={"REMOTE_ADDR": "192.0.2.50"}).status_code == 302
    customer.post("/sign-out")
    for number in range(40):
        portal_app.test_client().post("/sign-in", data={"login": "kowalski", "password": WRONG},
                                      environ_base={"REMOTE_ADDR": f"198.51.100.{number}"})
    newcomer = sign_in(portal_app.test_client(), environ_base={"REMOTE_ADDR": "192.0.2.51"})
    assert newcomer.status_code == 429
    assert sign_in(customer, environ_base={"REMOTE_ADDR": "192.0.2.50"}).status_code == 302


def test_a_hammering_client_writes_two_throttled_entries_for_fifty_refusals(portal_app, frozen):
    client = portal_app.test_client()
    statuses = [sign_in(client, password=WRONG, environ_base={"REMOTE_ADDR": "192.0.2.60"}).status_code
                for _ in range(55)]
    assert statuses == [200] * 5 + [429] * 50
    rows = audit_rows(portal_app, "sign_in.throttled")
    assert [json.loads(row.detail)["refused_in_window"] for row in rows] == [1, 10]
    failed = audit_rows(portal_app, "sign_in.failed")[0]
    assert (rows[0].login, rows[0].actor, failed.login, failed.actor, failed.account_id) == (
        "kowalski", "anonymous", "kowalski", "anonymous", None)


def test_a_client_hammering_the_reset_form_writes_two_throttled_entries_for_fifty_refusals(portal_app, frozen):
    client = portal_app.test_client()
    for _ in range(53):
        client.post("/password-reset", data={"login_or_email": "kowalski"}, environ_base={"REMOTE_ADDR": "192.0.2.61"})
    assert len(audit_rows(portal_app, "password_reset.requested")) == 3
    rows = audit_rows(portal_app, "password_reset.throttled")
    assert [json.loads(row.detail)["refused_in_window"] for row in rows] == [1, 10]


def test_a_password_typed_as_the_login_is_stored_only_as_a_keyed_hash(portal_app):
    client = portal_app.test_client()
    for _ in range(7):
        sign_in(client, login=SECRET_TYPED, password=WRONG, environ_base={"REMOTE_ADDR": "192.0.2.70"})
    client.post("/password-reset", data={"login_or_email": SECRET_TYPED})
    with portal_app.app_context():
        rows = list(db().scalars(select(AuditEntry)))
    stored = " ".join(f"{row.login} {row.detail}" for row in rows).lower()
    assert len(rows) == 7 and SECRET_TYPED.lower() not in stored
    assert len({row.login for row in rows}) == 1 and str(rows[0].login).startswith("unknown:")
    # Keyed: a plain hash of a guessed password would be found by hashing guesses.
    assert rows[0].login != "unknown:" + hashlib.sha256(SECRET_TYPED.lower().encode()).hexdigest()[:32]


@pytest.mark.parametrize("typed", ["NOWAK", " nowak", "Nowak "])
def test_the_login_key_is_the_same_however_the_login_is_typed(portal_app, typed):
    with portal_app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.80"}):
        assert throttle.login_key(typed) == throttle.login_key("nowak")
        assert throttle.sign_in_buckets(typed, "192.0.2.80") == throttle.sign_in_buckets("nowak", "192.0.2.80")


def test_failures_typed_differently_count_against_one_login(portal_app, frozen):
    add_account(portal_app, "nowak", "K-1002")
    client = portal_app.test_client()
    for typed in ["NOWAK", " nowak", "Nowak", "nowak ", "NoWaK"]:
        answer = sign_in(client, login=typed, password=WRONG, environ_base={"REMOTE_ADDR": "192.0.2.81"})
        assert answer.status_code == 200
    assert sign_in(client, login="nowak", environ_base={"REMOTE_ADDR": "192.0.2.81"}).status_code == 429


def test_reset_requests_and_sign_ins_are_counted_apart(portal_app, frozen, mailbox):
    client = portal_app.test_client()
    for _ in range(6):
        client.post("/password-reset", data={"login_or_email": "kowalski"}, environ_base={"REMOTE_ADDR": "192.0.2.90"})
    assert sign_in(client, environ_base={"REMOTE_ADDR": "192.0.2.90"}).status_code == 302
    client.post("/sign-out")
    add_account(portal_app, "nowak", "K-1002")
    for _ in range(5):
        sign_in(client, login="nowak", password=WRONG, environ_base={"REMOTE_ADDR": "192.0.2.91"})
    for _ in range(3):
        client.post("/password-reset", data={"login_or_email": "nowak"}, environ_base={"REMOTE_ADDR": "192.0.2.91"})
    assert len(audit_rows(portal_app, "password_reset.requested")) == 6


def test_one_address_asking_for_many_reset_links_is_slowed_down(portal_app, frozen):
    client = portal_app.test_client()
    for number in range(10):
        client.post("/password-reset", data={"login_or_email": f"guess{number}"},
                    environ_base={"REMOTE_ADDR": "192.0.2.95"})
    assert audit_rows(portal_app, "password_reset.throttled") == []
    client.post("/password-reset", data={"login_or_email": "guess-eleven"}, environ_base={"REMOTE_ADDR": "192.0.2.95"})
    client.post("/password-reset", data={"login_or_email": "guess-eleven"}, environ_base={"REMOTE_ADDR": "192.0.2.96"})
    assert len(audit_rows(portal_app, "password_reset.throttled")) == 1
    assert len(audit_rows(portal_app, "password_reset.requested")) == 11
