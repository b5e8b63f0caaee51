"""Password hashing (argon2id) and the policy for new passwords: length and guessability, no composition rules."""

from __future__ import annotations

import gzip
import os
import re
import secrets
import sys
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, TypeVar

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"
EXTENSION_KEY = "passwords"
# No look-alike characters (0/O, 1/l/I) in a password someone must type from an e-mail.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LOWEST_PRIORITY = 19
# A login or customer id this short would match by chance inside any password.
SHORTEST_CONTAINED = 3
REPEATED = re.compile(r"^(.+?)\1+$")

Result = TypeVar("Result")


def lower_thread_priority(steps: int) -> None:
    """Make the calling thread `steps` nicer. On Linux a priority is per thread; elsewhere it would be
    the whole process's, so it is left alone there."""
    if steps <= 0 or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    os.setpriority(os.PRIO_PROCESS, thread, min(LOWEST_PRIORITY, os.getpriority(os.PRIO_PROCESS, thread) + steps))


def normalised(password: str) -> str:
    """The same password typed on different keyboards must hash the same (NIST 800-63B)."""
    return unicodedata.normalize("NFKC", password)


class Passwords:
    """The hasher with the configured cost, and a dummy hash that makes an unknown login cost the same."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.hasher = PasswordHasher(
            time_cost=int(config["ARGON2_TIME_COST"]),
            memory_cost=int(config["ARGON2_MEMORY_KIB"]),
            parallelism=int(config["ARGON2_PARALLELISM"]),
            type=Type.ID,
        )
        self.threads = max(1, int(config.get("ARGON2_THREADS", 2)))
        self.nice = int(config.get("ARGON2_NICE", 0))
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))

    def _in_pool(self, work: Callable[..., Result], *args: Any) -> Result:
        """Run on the hashing threads, started on first use (so never before gunicorn forks a worker)."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="argon2",
                                                initializer=lower_thread_priority, initargs=(self.nice,))
        return self._pool.submit(work, *args).result()

    def hash(self, password: str) -> str:
        return self._in_pool(self.hasher.hash, normalised(password))

    def verify(self, password_hash: str, password: str) -> bool:
        return self._in_pool(self._verify, password_hash, normalised(password))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def verify_dummy(self, password: str) -> bool:
        """Spend the time a real check would, so timing does not tell whether the login exists."""
        self.verify(self._dummy_hash, password)
        return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)


def passwords() -> Passwords:
    return current_app.extensions[EXTENSION_KEY]


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _letters(text: str, digits: bool = False) -> str:
    """Lower-case letters only (digits too if asked), Polish diacritics folded: "Strzelce2026!" becomes
    "strzelce", or "strzelce2026" with digits, so the login "k1001" inside "Moje-K1001-haslo" is still found."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("ł", "l"))
    return "".join(char for char in folded if (char.isalpha() or digits and char.isdigit()) and char.isascii())


def _spells_own_data(password: str, login: str, customer_id: str) -> bool:
    """The login or customer id anywhere in it, or its letters alone spelling a context word."""
    words = {_letters(login, digits=True), _letters(customer_id, digits=True)}
    folded = _letters(password, digits=True)
    if any(len(word) >= SHORTEST_CONTAINED and word in folded for word in words):
        return True
    guessable = {_letters(word) for word in current_app.config["PASSWORD_CONTEXT_WORDS"]} | {_letters(login)}
    return _letters(password) in guessable - {""}


def _guessability_problem(password: str, user_inputs: list[str]) -> str | None:
    """zxcvbn's estimate, bounded by our own maximum length so that it never raises and nothing is cut."""
    config = current_app.config
    if REPEATED.match(_letters(password, digits=True)):
        return _l("The password must not repeat the same characters or words.")
    # Imported here: its word lists take some 13 MB, which only a process that sets a password needs to hold.
    from zxcvbn import zxcvbn

    estimate = zxcvbn(password, user_inputs=user_inputs, max_length=int(config["PASSWORD_MAX_LENGTH"]))
    if estimate["score"] >= int(config["PASSWORD_MIN_SCORE"]):
        return None
    patterns = {match["pattern"] for match in estimate["sequence"]}
    if any(match.get("dictionary_name") == "user_inputs" for match in estimate["sequence"]):
        return _l("This password is too easy to guess from your login or the utility's name.")
    if "repeat" in patterns:
        return _l("The password must not repeat the same characters or words.")
    if patterns & {"sequence", "spatial"}:
        return _l("The password must not be a sequence of characters, such as 123456 or qwerty.")
    return _l("This password is too easy to guess. A few unrelated words make a strong password.")


def password_problems(password: str, login: str = "", customer_id: str = "") -> list[str]:
    """Why a new password is refused (empty: it is fine). Length and guessability only: no composition rules."""
    config = current_app.config
    if len(password) < int(config["PASSWORD_MIN_LENGTH"]):
        return [lazy_ngettext("The password must have at least %(num)d character.",
                              "The password must have at least %(num)d characters.", config["PASSWORD_MIN_LENGTH"])]
    if len(password) > int(config["PASSWORD_MAX_LENGTH"]):
        return [lazy_ngettext("The password may have at most %(num)d character.",
                              "The password may have at most %(num)d characters.", config["PASSWORD_MAX_LENGTH"])]
    if password.lower() in common_passwords():
        return [_l("This password is among the most common ones. Please choose another.")]
    if _spells_own_data(password, login, customer_id):
        return [_l("This password is too easy to guess from your login or the utility's name.")]
    context = [login, customer_id, config["UTILITY_NAME"], config["UTILITY_SHORT_NAME"],
               *config["PASSWORD_CONTEXT_WORDS"]]
    problem = _guessability_problem(password, [word for word in context if word])
    return [problem] if problem else []


def generate_one_time_password(groups: int = 4, size: int = 4) -> str:
    """Four groups of four easy-to-read characters: 16 characters, about 92 bits of randomness."""
    return "-".join("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(size)) for _ in range(groups))
