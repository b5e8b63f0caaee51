"""Finds the payment operator IT named: an entry point of the group `ibok.payment_operators`, like the ERP adapters."""

from __future__ import annotations

from adapters.core.plugins import plugin_class
from adapters.payments.port import PaymentOperator

ENTRY_POINT_GROUP = "ibok.payment_operators"


class OperatorNotFound(LookupError):
    """The configured operator name matches no entry point."""


def resolve_operator(name: str) -> type[PaymentOperator]:
    """The class behind a name; it must implement PaymentOperator."""
    return plugin_class(ENTRY_POINT_GROUP, name, PaymentOperator, OperatorNotFound, "payment operator")
