"""Password hashing (argon2id) and the policy for new passwords: length and common passwords only."""

from __future__ import annotations

import gzip
import os
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

COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"
EXTENSION_KEY = "passwords"
# No look-alike characters (0/O, 1/l/I) in a password someone must type from an e-mail.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LOWEST_PRIORITY = 19

Result = TypeVar("Result")


def lower_thread_priority(steps: int) -> None:
    """Make the calling thread `steps` nicer. On Linux a priority is per thread; elsewhere it would be
    the whole process's, so it is left alone there."""
    if steps <= 0 or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    os.setpriority(os.PRIO_PROCESS, thread, min(LOWEST_PRIORITY, os.getpriority(os.PRIO_PROCESS, thread) + steps))


def _normalise(password: str) -> str:
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
        return self._in_pool(self.hasher.hash, _normalise(password))

    def verify(self, password_hash: str, password: str) -> bool:
        return self._in_pool(self._verify, password_hash, _normalise(password))

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


def _letters(text: str) -> str:
    """Lower-case letters only, Polish diacritics folded: "Strzelce2026!" becomes "strzelce"."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("ł", "l"))
    return "".join(char for char in folded if char.isalpha() and char.isascii())


def password_problems(password: str, login: str = "") -> list[str]:
    """Why a new password is refused (empty: it is fine). Length and guessability only: no composition rules."""
    config = current_app.config
    if len(password) < int(config["PASSWORD_MIN_LENGTH"]):
        return [_l("The password must have at least %(count)d characters.", count=config["PASSWORD_MIN_LENGTH"])]
    if len(password) > int(config["PASSWORD_MAX_LENGTH"]):
        return [_l("The password may have at most %(count)d characters.", count=config["PASSWORD_MAX_LENGTH"])]
    if password.lower() in common_passwords():
        return [_l("This password is among the most common ones. Please choose another.")]
    guessable = {_letters(word) for word in config["PASSWORD_CONTEXT_WORDS"]} | {_letters(login)}
    if _letters(password) in guessable - {""}:
        return [_l("This password is too easy to guess from your login or the utility's name.")]
    return []


def generate_one_time_password(groups: int = 4, size: int = 4) -> str:
    """Four groups of four easy-to-read characters: 16 characters, about 92 bits of randomness."""
    return "-".join("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(size)) for _ in range(groups))
