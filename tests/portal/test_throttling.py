"""Throttling: doubling delays after repeated failures, per login and per address, capped at a few minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from gateway.accounts import throttle
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import ThrottleCounter
from tests.portal.conftest import sign_in

WRONG = "Definitely-wrong-pass"


def _fail(client, times, login="kowalski", address="192.0.2.10"):
    return [sign_in(client, login=login, password=WRONG, environ_base={"REMOTE_ADDR": address}).status_code
            for _ in range(times)]


@pytest.fixture
def later(monkeypatch):
    """Moves the throttle's clock forward by the seconds given, cumulatively."""
    offset = timedelta()

    def advance(seconds):
        nonlocal offset
        offset += timedelta(seconds=seconds)

    monkeypatch.setattr(throttle, "utcnow", lambda: utcnow() + offset)
    return advance


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (4, 0), (5, 2), (6, 4), (7, 8), (12, 256), (13, 300), (50, 300), (10**6, 300)],
)
def test_delay_doubles_after_the_free_failures_up_to_the_cap(app, failures, seconds):
    with app.app_context():
        assert throttle.delay_after(failures, free_failures=5) == seconds


def test_after_five_failures_even_the_right_password_waits(client, make_account):
    make_account()
    assert _fail(client, 5) == [200] * 5
    response = sign_in(client, environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] in ("1", "2")
    assert "Prosimy spróbować ponownie za 1 minutę" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_unknown_login_is_throttled_exactly_like_a_real_one(client, make_account):
    make_account()
    assert _fail(client, 6, login="kowalski") == _fail(client, 6, login="ghost", address="192.0.2.11")


def test_the_wait_ends_and_the_customer_gets_in(client, make_account, later):
    make_account()
    _fail(client, 5)
    later(3)
    assert sign_in(client, environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 302


def test_a_stranger_delays_only_their_own_client(client, make_account, later):
    make_account()
    for _ in range(40):
        assert _fail(client, 1, address="203.0.113.66") == [200]
        later(301)
    assert _fail(client, 8, address="203.0.113.66")[-1] == 429
    assert sign_in(client, environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 302


def test_one_address_trying_many_logins_is_slowed_down(client, make_account):
    make_account()
    for number in range(20):
        _fail(client, 1, login=f"guess{number}")
    assert sign_in(client, environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 429
    assert sign_in(client, environ_base={"REMOTE_ADDR": "192.0.2.99"}).status_code == 302


def test_customers_behind_one_address_keep_signing_in_after_its_failures(app, client, make_account):
    """Many customers share a mobile operator's address: their correct passwords must not start its delay."""
    make_account()
    for number in range(19):
        _fail(client, 1, login=f"guess{number}")
    browsers = [app.test_client() for _ in range(3)]  # each without a device cookie of its own yet
    assert [sign_in(browser, environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code for browser in browsers] == [
        302, 302, 302]


def test_a_successful_sign_in_clears_the_login_counter(client, make_account):
    make_account()
    _fail(client, 4)
    assert sign_in(client, environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 302
    client.post("/sign-out")
    assert _fail(client, 4) == [200] * 4


def test_failures_are_forgotten_after_an_hour_of_quiet(client, make_account, later):
    make_account()
    _fail(client, 12)
    later(3601)
    assert _fail(client, 4) == [200] * 4


def test_staff_unlock_clears_the_delay(app, client, make_account):
    make_account()
    _fail(client, 8)
    assert app.test_cli_runner().invoke(args=["accounts", "unlock", "kowalski"]).exit_code == 0
    assert sign_in(client, environ_base={"REMOTE_ADDR": "192.0.2.12"}).status_code == 302


def test_counters_keep_only_hashes_of_what_was_typed(app, client):
    _fail(client, 1, login="secret-typed-in-login")
    with app.app_context():
        keys = [counter.key for counter in db().scalars(select(ThrottleCounter))]
    assert len(keys) == 3 and not any("secret" in key or "192.0.2.10" in key for key in keys)


def test_the_throttled_answer_is_audited(app, client, make_account):
    make_account()
    _fail(client, 6)
    with app.app_context():
        from gateway.db.models import AuditEntry

        actions = [entry.action for entry in db().scalars(select(AuditEntry))]
    assert actions.count("sign_in.failed") == 5 and actions.count("sign_in.throttled") == 1


def test_counters_quiet_for_over_an_hour_go_at_the_next_sign_in(app, client, make_account, later):
    make_account()
    _fail(client, 1, login="ghost", address="192.0.2.13")
    later(3601)
    _fail(client, 1, login="ghost-two", address="192.0.2.14")
    assert sign_in(client, environ_base={"REMOTE_ADDR": "192.0.2.15"}).status_code == 302
    with app.app_context():
        # ghost-two's three counters and kowalski's hourly cap (a right password counts no address failure);
        # ghost's three are gone.
        assert db().scalar(select(func.count()).select_from(ThrottleCounter)) == 4
