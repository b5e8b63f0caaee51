"""The payment-operator port: register a transaction, read its signed notification, verify it with the operator."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Mapping

from adapters.payments.amounts import AmountError, to_grosze
from adapters.payments.errors import BadNotification
from adapters.payments.records import Expected, Notification, PaymentOrder, Registration


class PaymentOperator(ABC):
    """One operator (Przelewy24, PayU, …); the portal holds one, built from its settings."""

    @classmethod
    @abstractmethod
    def from_config(cls, config: Mapping[str, Any]) -> PaymentOperator:
        """Built from the portal's settings: each operator reads its own keys."""

    @property
    @abstractmethod
    def payer_origin(self) -> str:
        """Scheme, host and port of the operator's pages, which the portal's payment form may lead to."""

    @abstractmethod
    def register(self, order: PaymentOrder) -> Registration:
        """Register once (never retried: a lost answer may have registered it); where to send the payer."""

    @abstractmethod
    def read_notification(self, body: bytes) -> Notification:
        """The notification's fields with its signature checked in constant time; BadNotification otherwise."""

    @abstractmethod
    def verify(self, notification: Notification) -> None:
        """Tell the operator the portal accepts the payment; until then the money is not settled."""


def check_matches(notification: Notification, expected: Expected) -> None:
    """Session, amount and currency against the portal's own record: a signed notice for another sum is no payment."""
    if notification.session_id != expected.session_id:
        raise BadNotification("session mismatch")
    if notification.currency != expected.currency:
        raise BadNotification("currency mismatch")
    try:
        grosze = to_grosze(expected.amount)
    except AmountError:
        raise BadNotification("the recorded amount is not payable") from None
    if notification.grosze != grosze:
        raise BadNotification("amount mismatch")
