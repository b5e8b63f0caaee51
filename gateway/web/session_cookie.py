"""Flask's signed session cookie, checked once rather than on every page.

A signed-in customer's browser sends the same cookie with every page until it is signed again (at most
every SEEN_AT_RESOLUTION_SECONDS). Flask builds a new serializer and checks the signature, the age
and the compressed JSON each time: a thirtieth of a cached page (BENCHMARKS.md, figure 1). Here the
serializer is built once per secret, and a cookie that passed the check is remembered for a minute:
only the exact text that passed can match, and its age is checked on every page all the same.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from cachetools import TTLCache
from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

# Cookies remembered per process (about a kilobyte each), each for a minute: beyond that they are simply
# checked again.
COOKIES_KEPT = 1024
COOKIE_SECONDS = 60
# Values a remembered session may hold: a page changing one changes its own copy.
IMMUTABLE = (str, int, float, bool, type(None))


class CheckedOnceSessionInterface(SecureCookieSessionInterface):
    """SecureCookieSessionInterface, remembering each secret's serializer and each cookie that passed."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}
        self._checked: TTLCache[tuple[Any, ...], tuple[dict[str, Any], int]] = TTLCache(
            maxsize=COOKIES_KEPT, ttl=COOKIE_SECONDS)
        self._lock = threading.Lock()

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        secrets = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(secrets)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            assert serializer is not None
            self._serializers = {secrets: serializer}  # a new secret replaces the old one's
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (*serializer.secret_keys, value)  # a secret dropped from the fallbacks forgets its cookies
        with self._lock:
            checked = self._checked.get(key)
        if checked is None:
            checked = self._check(serializer, value, max_age)
            if checked is None:
                return self.session_class()
            if all(isinstance(item, IMMUTABLE) for item in checked[0].values()):
                with self._lock:
                    self._checked[key] = checked
        data, signed_at = checked
        if not 0 <= int(time.time()) - signed_at <= max_age:  # as itsdangerous judges an age
            return self.session_class()
        return self.session_class(dict(data))

    @staticmethod
    def _check(serializer: URLSafeTimedSerializer, value: str, max_age: int) -> tuple[dict[str, Any], int] | None:
        """The session's data and when it was signed; None for a forged, damaged or too old cookie."""
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return None
        return (data, int(signed_at.timestamp())) if isinstance(data, dict) else None


def init_session_cookie(app: Flask) -> None:
    app.session_interface = CheckedOnceSessionInterface()
