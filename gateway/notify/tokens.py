"""The unsubscribe link's token: signed (itsdangerous, a salt of its own), naming the account and the kind.

It does not expire and is not tied to when the kind was switched on: all it can do is switch that one kind off,
which an old e-mail's reader may always ask for, and RFC 8058's one-click needs a link that keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from gateway.notify.kinds import KINDS

SALT = "ibok-notify-unsubscribe"
# The blueprint's address, shared so the e-mail's link (built outside any request) matches its route.
UNSUBSCRIBE_PATH = "/notifications/unsubscribe/"


@dataclass(frozen=True)
class Unsubscribe:
    account_id: int
    kind: str


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(account_id: int, kind: str) -> str:
    return str(_serializer().dumps([account_id, kind]))


def read_token(token: str) -> Unsubscribe | None:
    """None for anything forged, altered or not naming a known kind."""
    try:
        value = _serializer().loads(token)
    except BadData:
        return None
    match value:
        case [int() as account_id, str() as kind] if kind in KINDS:
            return Unsubscribe(account_id, kind)
    return None


def unsubscribe_link(account_id: int, kind: str) -> str:
    """The link in each e-mail, on the portal's configured public address (never a request's Host)."""
    return f"{str(current_app.config['PORTAL_URL']).rstrip('/')}{UNSUBSCRIBE_PATH}{make_token(account_id, kind)}"
