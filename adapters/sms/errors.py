"""Typed SMS errors: a gateway's failures map onto these, so the reminders handle one set."""

from __future__ import annotations


class SmsError(Exception):
    """Base of everything that went wrong with an SMS gateway."""


class SmsUnavailable(SmsError):
    """No usable answer (timeout, transport, HTTP 5xx): the message may or may not have gone, so never resent."""


class SmsRefused(SmsError):
    """The gateway answered with an error: nothing was sent. `code` is the gateway's own error number."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message, code)

    @property
    def code(self) -> int | None:
        return self.args[1]

    def __str__(self) -> str:
        return str(self.args[0])


class SmsBadNumber(SmsRefused):
    """The gateway takes the number for no phone number: trying again cannot help."""


class SmsAuthorisationFailed(SmsRefused):
    """The token is wrong or the gateway's IP filter refused this server: IT must act."""
