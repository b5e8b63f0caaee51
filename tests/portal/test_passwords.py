"""Passwords: argon2id, at least 12 characters, not common, nothing else demanded."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

from gateway.accounts.passwords import Passwords, common_passwords, generate_one_time_password, password_problems


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "Demo-IBOK-2026", "alllowercaseletters", "zażółć gęślą jaźń", "x7Q" * 40 + "Rano"],
)
def test_long_uncommon_passwords_are_accepted_without_composition_rules(app, password):
    with app.app_context():
        assert password_problems(password, "kowalski") == []


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("elevenchars", "at least 12"),
        ("qwerty123456", "most common"),
        ("QWERTY123456", "most common"),
        ("1q2w3e4r5t6y", "most common"),
        ("Wodociagi-2026", "too easy to guess"),
        ("Wodociągi!!2026", "too easy to guess"),
        ("kowalski-1234", "too easy to guess"),
        ("123456789012345678", "sequence"),
        ("kowalskikowalski", "too easy to guess"),
        ("Wiosna-Wiosna-Wiosna", "repeat"),
        ("x" * 129, "at most 128"),
    ],
)
def test_weak_passwords_are_refused(app, password, reason):
    with app.test_request_context(headers={"Cookie": "ibok_lang=en"}):
        problems = password_problems(password, "kowalski")
    assert len(problems) == 1 and reason in str(problems[0])


def test_the_shipped_list_holds_the_common_passwords():
    passwords = common_passwords()
    assert len(passwords) > 10000
    assert {"123456", "password", "qwerty"} <= passwords


def test_hashes_are_argon2id_with_the_configured_cost(app):
    config = {"ARGON2_TIME_COST": 2, "ARGON2_MEMORY_KIB": 19456, "ARGON2_PARALLELISM": 1}
    hashed = Passwords(config).hash("Demo-IBOK-2026")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PasswordHasher().verify(hashed, "Demo-IBOK-2026")


def test_verify_never_raises_and_the_dummy_never_matches(app):
    with app.app_context():
        passwords = app.extensions["passwords"]
        assert passwords.verify("not-a-hash", "anything") is False
        assert passwords.verify_dummy("anything") is False


def test_the_same_password_typed_differently_normalised_still_matches(app):
    passwords = app.extensions["passwords"]
    composed = "Zażółć-gęślą-jaźń"
    decomposed = "Zaz\u0307o\u0301\u0142c\u0301-ge\u0328s\u0301la\u0328-jaz\u0301n\u0301"
    assert passwords.verify(passwords.hash(composed), decomposed)


def test_a_weaker_old_hash_is_upgraded_at_sign_in(app, client, make_account):
    from sqlalchemy import select

    from gateway.db.database import db
    from gateway.db.models import Account
    from tests.portal.conftest import PASSWORD, sign_in

    make_account()
    app.config["ARGON2_TIME_COST"] = 3
    app.extensions["passwords"] = Passwords(app.config)
    assert sign_in(client).location == "/"
    with app.app_context():
        assert ",t=3," in db().scalars(select(Account)).one().password_hash
    assert PASSWORD


def test_one_time_passwords_are_readable_random_and_pass_the_policy(app):
    generated = {generate_one_time_password() for _ in range(50)}
    assert len(generated) == 50
    with app.app_context():
        for password in generated:
            assert len(password) == 19 and not set(password) & set("0O1lI")
            assert password_problems(password, "kowalski") == []


def _priority_of_hashing_thread(hasher: Passwords) -> tuple[str, int]:
    """The name and nice value of the thread that does the hashing."""
    def look() -> tuple[str, int]:
        return threading.current_thread().name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    return hasher._in_pool(look)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread priorities are Linux's")
def test_passwords_are_checked_on_their_own_lower_priority_threads(app):
    hasher = Passwords({**app.config, "ARGON2_THREADS": 2, "ARGON2_NICE": 5})
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    name, nice = _priority_of_hashing_thread(hasher)
    assert name.startswith("argon2") and nice == min(19, mine + 5)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # the caller's stays


def test_checks_from_many_threads_at_once_all_get_their_answer(app):
    hasher = Passwords({**app.config, "ARGON2_THREADS": 2, "ARGON2_NICE": 0})
    stored = hasher.hash("Zielona-Herbata-2026")
    guesses = ["Zielona-Herbata-2026" if number % 2 else f"wrong-{number}" for number in range(8)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda guess: hasher.verify(stored, guess), guesses))
    assert answers == [number % 2 == 1 for number in range(8)]


def test_the_hashing_threads_start_on_first_use_not_with_the_app(app):
    """gunicorn builds the app in each worker after the fork; no thread may exist before a request."""
    hasher = Passwords(app.config)
    assert hasher._pool is None
    hasher.verify(hasher.hash("x" * 12), "x" * 12)
    assert hasher._pool is not None
