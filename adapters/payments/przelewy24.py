"""Przelewy24 REST API v1: register a transaction, read its signed notification, verify it.

The signatures are sha384 of a JSON text with fixed key order and no spaces (REFERENCE-FACTS §3); the
HTTP goes through the ERP kit's bounded send (timeouts and a deadline always; register never retried).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit

from adapters.core.errors import ErpError
from adapters.core.settings import ErpSettings
from adapters.payments.amounts import to_grosze
from adapters.payments.errors import BadNotification, OperatorRefused, OperatorUnavailable
from adapters.payments.port import PaymentOperator
from adapters.payments.records import Notification, PaymentOrder, Registration
from adapters.wire.http import ErpHttp, HttpReply

REGISTER_PATH = "/api/v1/transaction/register"
VERIFY_PATH = "/api/v1/transaction/verify"
PAYER_PATH = "/trnRequest/"
TOKEN = re.compile(r"[A-Za-z0-9-]{1,100}")
# The notification's fields, in the order its signature lists them, and the type each must have.
NOTIFICATION_FIELDS: tuple[tuple[str, type], ...] = (
    ("merchantId", int), ("posId", int), ("sessionId", str), ("amount", int), ("originAmount", int),
    ("currency", str), ("orderId", int), ("methodId", int), ("statement", str),
)
MAX_NOTIFICATION_BYTES = 16 * 1024
FIELD_LIMITS = {"sessionId": 100, "description": 1024, "email": 50, "urlReturn": 250, "urlStatus": 250}


@dataclass(frozen=True)
class Przelewy24Settings:
    """The merchant's identifiers and secrets as the operator's panel shows them, and the HTTP limits."""

    merchant_id: int
    pos_id: int
    crc: str
    api_key: str
    url: str = "https://sandbox.przelewy24.pl"
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    deadline: float = 15.0


def sign(fields: Mapping[str, Any], crc: str) -> str:
    """sha384 hex of the fields and crc as compact JSON, in the order given (the operator's rule)."""
    text = json.dumps({**fields, "crc": crc}, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha384(text.encode("utf-8")).hexdigest()


def _http_settings(settings: Przelewy24Settings) -> ErpSettings:
    """HTTP Basic as posId and the API key (the "key for reports"); replies are small."""
    return ErpSettings(url=settings.url, connect_timeout=settings.connect_timeout,
                       read_timeout=settings.read_timeout, deadline=settings.deadline,
                       max_response_bytes=64 * 1024, username=str(settings.pos_id), password=settings.api_key,
                       pool_size=4)


class Przelewy24(PaymentOperator):
    """The reference operator adapter."""

    def __init__(self, settings: Przelewy24Settings, http: ErpHttp | None = None) -> None:
        self.settings = settings
        self.base = settings.url.rstrip("/")
        self.http = http or ErpHttp(_http_settings(settings))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Przelewy24:
        """Built from the portal's P24_* settings."""
        return cls(Przelewy24Settings(
            merchant_id=int(config["P24_MERCHANT_ID"]), pos_id=int(config["P24_POS_ID"]), crc=str(config["P24_CRC"]),
            api_key=str(config["P24_API_KEY"]), url=str(config["P24_URL"]),
            connect_timeout=float(config["P24_CONNECT_TIMEOUT"]), read_timeout=float(config["P24_TIMEOUT"]),
            deadline=float(config["P24_DEADLINE"])))

    @property
    def payer_origin(self) -> str:
        parts = urlsplit(self.base)
        return f"{parts.scheme}://{parts.netloc}"

    def register(self, order: PaymentOrder) -> Registration:
        body = self._register_body(order)
        reply = self._send("register", "POST", REGISTER_PATH, body, idempotent=False)
        token = _data(reply, "register").get("token")
        if not isinstance(token, str) or TOKEN.fullmatch(token) is None:
            raise OperatorRefused("register: the reply carries no usable token")
        return Registration(token, f"{self.base}{PAYER_PATH}{token}")

    def _register_body(self, order: PaymentOrder) -> dict[str, Any]:
        amount = to_grosze(order.amount)
        s = self.settings
        body: dict[str, Any] = {
            "merchantId": s.merchant_id, "posId": s.pos_id, "sessionId": order.session_id, "amount": amount,
            "currency": order.currency, "description": order.description, "email": order.email, "country": "PL",
            "language": order.language, "urlReturn": order.return_url, "urlStatus": order.notification_url,
        }
        for name, limit in FIELD_LIMITS.items():
            if len(body[name]) > limit:
                raise OperatorRefused(f"register: {name} longer than {limit} characters")
        body["sign"] = sign({"sessionId": order.session_id, "merchantId": s.merchant_id, "amount": amount,
                             "currency": order.currency}, s.crc)
        return body

    def read_notification(self, body: bytes) -> Notification:
        fields, given = _notification_fields(body)
        expected = sign(dict(fields), self.settings.crc)
        if not hmac.compare_digest(expected.encode(), given.encode()):
            raise BadNotification("bad signature")
        values: dict[str, Any] = dict(fields)
        if values["merchantId"] != self.settings.merchant_id or values["posId"] != self.settings.pos_id:
            raise BadNotification("another merchant's notification")
        return Notification(str(values["sessionId"]), int(values["amount"]), str(values["currency"]),
                            int(values["orderId"]))

    def verify(self, notification: Notification) -> None:
        s = self.settings
        body = {
            "merchantId": s.merchant_id, "posId": s.pos_id, "sessionId": notification.session_id,
            "amount": notification.grosze, "currency": notification.currency, "orderId": notification.order_id,
            "sign": sign({"sessionId": notification.session_id, "orderId": notification.order_id,
                          "amount": notification.grosze, "currency": notification.currency}, s.crc),
        }
        reply = self._send("verify", "PUT", VERIFY_PATH, body, idempotent=True)
        if _data(reply, "verify").get("status") != "success":
            raise OperatorRefused("verify: the operator did not confirm the transaction")

    def _send(self, operation: str, method: str, path: str, body: dict[str, Any], idempotent: bool) -> HttpReply:
        try:
            reply = self.http.send(operation, method, self.base + path, idempotent=idempotent, json=body)
        except ErpError as error:
            raise OperatorUnavailable(f"{operation}: {error.message}") from None
        if reply.status >= 500:
            raise OperatorUnavailable(f"{operation}: HTTP {reply.status}")
        if reply.status != 200:
            raise OperatorRefused(f"{operation}: HTTP {reply.status}")
        return reply


def _data(reply: HttpReply, operation: str) -> dict[str, Any]:
    """The reply's `data` object, with responseCode 0; anything else is a refusal."""
    try:
        parsed = json.loads(reply.content)
    except ValueError:
        raise OperatorRefused(f"{operation}: the reply is not JSON") from None
    if not isinstance(parsed, dict) or parsed.get("responseCode") != 0 or not isinstance(parsed.get("data"), dict):
        raise OperatorRefused(f"{operation}: the reply is not a success")
    return parsed["data"]


def _json_object(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_NOTIFICATION_BYTES:
        raise BadNotification("too large")
    try:
        parsed = json.loads(body)
    except ValueError:
        raise BadNotification("not JSON") from None
    if not isinstance(parsed, dict):
        raise BadNotification("not a JSON object")
    return parsed


def _notification_fields(body: bytes) -> tuple[list[tuple[str, object]], str]:
    """The signed fields in signature order, each of its own type (a bool is no number here), and the sign given
    (a missing one compares as empty and fails)."""
    parsed = _json_object(body)
    fields = []
    for name, kind in NOTIFICATION_FIELDS:
        value = parsed.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BadNotification(f"{name} missing or of the wrong type")
        fields.append((name, value))
    given = parsed.get("sign")
    return fields, given if isinstance(given, str) else ""
