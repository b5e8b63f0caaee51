"""Guessing passwords and logins: brute force is slowed to far fewer than 100 tries an hour per account, and
neither the answer nor its timing tells an existing login from an unknown one, on the sign-in page or on the
password-reset form (whose e-mail is sent only after the answer, so a slow mail server gives nothing away)."""

from __future__ import annotations

import asyncio
import logging
import re
import statistics
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.db.database import db
from gateway.db.models import AuditEntry
from tests.hostile.checks import Timed, assert_safe, timed
from tests.hostile.conftest import add_account
from tests.portal_fixtures import PASSWORD, _free_port, sign_in

WRONG = "Not-the-password-at-all-1"
CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]*"')
SAMPLES = 9


def attempt(client, login: str, address: str = "192.0.2.10", password: str = WRONG) -> Timed:
    return timed(sign_in, client, login=login, password=password, environ_base={"REMOTE_ADDR": address})


def without_token(page: str) -> str:
    """A form's CSRF token is signed with the time: two answers a second apart differ in it, and only in it."""
    return CSRF_VALUE.sub('name="csrf_token" value="TOKEN"', page)


def comparable(result: Timed, login: str) -> str:
    """The page with what legitimately differs taken out: the login typed (echoed in the form), the token."""
    page = result.page.replace(login, "LOGIN")
    return without_token(page.replace(result.response.headers["X-Correlation-ID"], "REF"))


def test_an_hour_of_brute_force_gets_far_fewer_than_100_guesses_checked(client, make_account, logs, later):
    """The attacker retries the moment Retry-After allows, from ever new addresses, for one hour: the hourly cap
    per login stops them, for the rest of its hour."""
    make_account()
    checked, throttled, spent, number = 0, [], 0.0, 0
    while spent < 3600:
        number += 1
        result = attempt(client, "kowalski", address=f"198.51.{number // 250}.{number % 250}")
        assert_safe(result, logs, statuses=(200, 429))
        if result.response.status_code == 429:
            throttled.append(result.response)
            wait = int(result.response.headers["Retry-After"])
            assert 0 < wait <= 3600
            later(wait)
            spent += wait
        else:
            checked += 1
            later(1)
            spent += 1
    assert checked < 30, f"{checked} guesses were checked in an hour"
    # Whether the hour ends on a refusal depends on how long the attempts took: every refusal is logged.
    assert throttled and all(logs.for_request(response, logging.WARNING) for response in throttled)


def test_the_right_password_during_the_delay_is_refused_too(client, make_account, logs):
    make_account()
    for _ in range(5):
        attempt(client, "kowalski")
    result = attempt(client, "kowalski", password=PASSWORD)
    assert_safe(result, logs, statuses=(429,), log_level=logging.WARNING)
    assert client.get("/").status_code == 302


def test_an_unknown_login_and_a_wrong_password_get_the_same_answer(app, make_account, logs):
    """Each from its own browser that has opened the sign-in page, as an attacker's would be."""
    make_account()
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:
        browser.get("/sign-in")
    known, unknown = attempt(browsers[0], "kowalski"), attempt(browsers[1], "nobody-here")
    for result in (known, unknown):
        assert_safe(result, logs, statuses=(200,))
    assert comparable(known, "kowalski") == comparable(unknown, "nobody-here")
    assert sorted(known.response.headers.keys()) == sorted(unknown.response.headers.keys())


def test_throttling_answers_the_same_for_unknown_and_known_logins(client, make_account):
    make_account()
    known = [attempt(client, "kowalski", address="192.0.2.20") for _ in range(7)]
    unknown = [attempt(client, "ghost", address="192.0.2.21") for _ in range(7)]
    assert [r.response.status_code for r in known] == [r.response.status_code for r in unknown]
    assert comparable(known[-1], "kowalski") == comparable(unknown[-1], "ghost")


@pytest.fixture
def real_cost_app(config, mailbox):
    """argon2id at the production cost, so a skipped hash would show; throttling out of the way."""
    app = create_app({**config, "ARGON2_MEMORY_KIB": 19456, "ARGON2_TIME_COST": 2,
                      "THROTTLE_FREE_FAILURES_LOGIN": 10_000, "THROTTLE_FREE_FAILURES_ADDRESS": 10_000})
    upgrade_database(app)
    add_account(app)
    return app


def medians(first, second) -> tuple[float, float]:
    """Interleaved, so drift in the machine's speed hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(SAMPLES):
        for index, run in enumerate((first, second)):
            times[index].append(run())
    return statistics.median(times[0]), statistics.median(times[1])


def test_an_unknown_login_takes_as_long_as_a_wrong_password(real_cost_app):
    client = real_cost_app.test_client()
    known, unknown = medians(lambda: attempt(client, "kowalski").seconds,
                             lambda: attempt(client, "nobody-here").seconds)
    assert abs(known - unknown) <= 0.3 * max(known, unknown) + 0.005, (known, unknown)


@dataclass
class SlowMailServer:
    """Accepts every message after a pause, as a mail server across the network would."""

    pause: float
    received: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await asyncio.sleep(self.pause)
        self.received.append(envelope.content)
        return "250 OK"


@pytest.fixture
def slow_mail_app(config, mailbox):
    handler = SlowMailServer(pause=0.1)
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app = create_app({**config, "MAIL_PORT": controller.port, "THROTTLE_FREE_RESETS": 10_000,
                      "THROTTLE_FREE_RESETS_ADDRESS": 10_000})
    upgrade_database(app)
    add_account(app)
    yield app, handler
    controller.stop()


def test_a_reset_for_an_unknown_login_answers_as_fast_and_the_same_as_for_a_real_one(slow_mail_app, logs):
    app, mail = slow_mail_app
    client = app.test_client()
    answers = {}

    def request(typed: str) -> float:
        result = timed(client.post, "/password-reset", data={"login_or_email": typed})  # closed: the mail goes
        answers[typed] = result
        return result.seconds

    known, unknown = medians(lambda: request("kowalski"), lambda: request("nobody-here"))
    assert abs(known - unknown) < 0.05, (known, unknown)
    assert len(mail.received) == SAMPLES
    for result in answers.values():
        assert_safe(result, logs, statuses=(302,))
        assert result.response.location == "/sign-in"
    assert comparable(answers["kowalski"], "kowalski") == comparable(answers["nobody-here"], "nobody-here")


def test_a_reset_by_e_mail_address_answers_the_same_for_unknown_addresses(client, make_account, mailbox):
    make_account()
    known = client.post("/password-reset", data={"login_or_email": "jan.kowalski@example.com"},
                        follow_redirects=True)
    unknown = client.post("/password-reset", data={"login_or_email": "jan.nowak@example.com"},
                          follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert without_token(known.get_data(as_text=True)) == without_token(unknown.get_data(as_text=True))
    assert len(mailbox.received) == 1


def test_a_reset_asked_for_by_e_mail_address_is_audited_with_the_address_masked(app, client, make_account, mailbox):
    make_account()
    client.post("/password-reset", data={"login_or_email": "jan.kowalski@example.com"})
    with app.app_context():
        [entry] = db().scalars(select(AuditEntry).where(AuditEntry.action == "password_reset.requested")).all()
    assert entry.login == "j…@example.com"
