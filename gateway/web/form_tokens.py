"""The signed CSRF token a session's pages carry, signed once a minute rather than on every page.

Every page has forms (the language switch, sign-out), so Flask-WTF signs the session's CSRF secret on
every request: a twentieth of a cached page's time (BENCHMARKS.md, figure 1). A token signed in the
last minute for the same secret is as good: it is checked against that secret and its age, and it
only expires up to a minute sooner than WTF_CSRF_TIME_LIMIT says. Flask-WTF looks in `g.csrf_token`
(its documented place for the request's signed token) before signing.
"""

from __future__ import annotations

import threading

from cachetools import TTLCache
from flask import Flask, current_app, g, session
from werkzeug.wrappers import Response

REUSE_SECONDS = 60
SESSIONS_KEPT = 10_000
EXTENSION_KEY = "form_tokens"


class SignedTokens:
    """Signed tokens by the session secret they sign, each kept for REUSE_SECONDS."""

    def __init__(self) -> None:
        self._tokens: TTLCache[str, str] = TTLCache(maxsize=SESSIONS_KEPT, ttl=REUSE_SECONDS)
        self._lock = threading.Lock()

    def get(self, secret: str) -> str | None:
        with self._lock:
            return self._tokens.get(secret)

    def keep(self, secret: str, token: str) -> None:
        with self._lock:
            self._tokens.setdefault(secret, token)


def _field() -> str:
    return str(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))


def reuse_signed_token() -> None:
    """Before the page: the token signed lately for this session's secret, if there is one."""
    secret = session.get(_field())
    if isinstance(secret, str):
        token = current_app.extensions[EXTENSION_KEY].get(secret)
        if token is not None:
            setattr(g, _field(), token)


def keep_signed_token(response: Response) -> Response:
    """After the page: remember the token Flask-WTF signed for it, for the next minute's pages."""
    field = _field()
    secret, token = session.get(field), g.get(field)
    if isinstance(secret, str) and isinstance(token, str):
        current_app.extensions[EXTENSION_KEY].keep(secret, token)
    return response


def init_form_tokens(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = SignedTokens()
    app.before_request(reuse_signed_token)
    app.after_request(keep_signed_token)
