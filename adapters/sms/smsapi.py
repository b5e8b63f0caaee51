"""SMSAPI.pl's HTTP API: one form-encoded POST to /sms.do with a bearer token, its JSON answer read.

SMSAPI answers errors as {"error": <code>, "message": ...}, often with HTTP 200, so the `error` key decides, not
the status (REFERENCE-FACTS §4). A send is never retried: a lost answer may hide a sent, paid message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from adapters.core.errors import ErpError
from adapters.core.settings import ErpSettings
from adapters.sms.errors import SmsAuthorisationFailed, SmsBadNumber, SmsRefused, SmsUnavailable
from adapters.sms.port import SmsGateway
from adapters.wire.http import ErpHttp, HttpReply

SEND_PATH = "/sms.do"
BAD_NUMBER = 13
# 101: the token is wrong; 105: the panel's IP filter refused this server.
AUTHORISATION = frozenset({101, 105})
SENDER_MAX = 11


@dataclass(frozen=True)
class SmsapiSettings:
    """The OAuth token from SMSAPI's panel, the sender name registered there, and the HTTP limits."""

    token: str
    sender: str = ""
    url: str = "https://api.smsapi.pl"
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    deadline: float = 15.0


def form(number: str, text: str, sender: str) -> dict[str, str]:
    """The POST's fields: JSON answers and UTF-8 always (the official client does the same); no sender means the
    account's default one."""
    fields = {"to": number, "message": text, "format": "json", "encoding": "utf-8"}
    if sender:
        fields["from"] = sender
    return fields


class Smsapi(SmsGateway):
    """The reference SMS gateway adapter."""

    def __init__(self, settings: SmsapiSettings, http: ErpHttp | None = None) -> None:
        if len(settings.sender) > SENDER_MAX:
            raise ValueError(f"the SMS sender name has at most {SENDER_MAX} characters")
        self.settings = settings
        self.url = settings.url.rstrip("/") + SEND_PATH
        self.http = http or ErpHttp(ErpSettings(
            url=settings.url, connect_timeout=settings.connect_timeout, read_timeout=settings.read_timeout,
            deadline=settings.deadline, max_response_bytes=64 * 1024, auth="bearer", token=settings.token,
            pool_size=2))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Smsapi:
        """Built from the portal's SMSAPI_* and SMS_SENDER settings."""
        return cls(SmsapiSettings(
            token=str(config["SMSAPI_TOKEN"]), sender=str(config["SMS_SENDER"]), url=str(config["SMSAPI_URL"]),
            connect_timeout=float(config["SMS_CONNECT_TIMEOUT"]), read_timeout=float(config["SMS_TIMEOUT"]),
            deadline=float(config["SMS_DEADLINE"])))

    def send(self, number: str, text: str) -> str:
        try:
            reply = self.http.send("sms.send", "POST", self.url, idempotent=False,
                                   data=form(number, text, self.settings.sender))
        except ErpError as error:
            raise SmsUnavailable(f"sms.do: {error.message}") from None
        if reply.status >= 500:
            raise SmsUnavailable(f"sms.do: HTTP {reply.status}")
        return _message_id(reply)


def _answer(reply: HttpReply) -> dict[str, Any]:
    try:
        parsed = json.loads(reply.content)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise SmsRefused(f"sms.do: HTTP {reply.status}, the answer is not a JSON object")
    return parsed


def _message_id(reply: HttpReply) -> str:
    """The first message's id from a success; the gateway's error number mapped to its kind of SmsRefused."""
    answer = _answer(reply)
    if "error" in answer:
        code = answer["error"] if isinstance(answer["error"], int) else None
        kind = SmsBadNumber if code == BAD_NUMBER else SmsAuthorisationFailed if code in AUTHORISATION else SmsRefused
        raise kind(f"sms.do: error {answer['error']}", code)
    listed = answer.get("list")
    if reply.status not in (200, 201) or not isinstance(listed, list) or not listed or not isinstance(listed[0], dict):
        raise SmsRefused(f"sms.do: HTTP {reply.status}, no message in the answer")
    return str(listed[0].get("id", ""))
