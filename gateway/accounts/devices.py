"""Device cookies (OWASP): a browser that signed in to a login before proves possession and has its own counter,
so a stranger's failures against that login, from anywhere, never lock it out."""

from __future__ import annotations

import secrets

from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

SALT = "ibok-device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def cookie_name() -> str:
    """Over HTTPS the __Host- prefix keeps a sibling domain from planting the cookie."""
    return "__Host-ibok_device" if current_app.config["SESSION_COOKIE_SECURE"] else "ibok_device"


def _max_age() -> int:
    return int(current_app.config["THROTTLE_DEVICE_DAYS"]) * 86400


def device_of(login_key: str) -> str | None:
    """The device's own id when this request carries a valid device cookie issued for this login, else None."""
    if not has_request_context():
        return None
    value = request.cookies.get(cookie_name())
    if not value:
        return None
    try:
        data = _serializer().loads(value, max_age=_max_age())
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("l") != login_key or not isinstance(data.get("d"), str):
        return None
    return str(data["d"])


def remember_device(response: Response, login_key: str) -> None:
    """A fresh device cookie after each successful sign-in: the old one's counter stays behind."""
    value = _serializer().dumps({"l": login_key, "d": secrets.token_hex(16)})
    response.set_cookie(cookie_name(), value, max_age=_max_age(), path="/", httponly=True, samesite="Lax",
                        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]))
