"""Typed payment errors: an operator's failures map onto these, so the portal handles one set."""

from __future__ import annotations


class PaymentError(Exception):
    """Base of everything that went wrong with a payment operator."""


class OperatorUnavailable(PaymentError):
    """The operator did not answer in time, or not at all: nothing is known about the transaction."""


class OperatorRefused(PaymentError):
    """The operator answered, and refused the request (bad data, credentials, an unknown transaction)."""


class BadNotification(PaymentError):
    """A notification that must not be believed; `reason` says why, for the audit log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)

    @property
    def reason(self) -> str:
        return str(self.args[0])
