"""Finds the payment operator IT named: an entry point of the group `ibok.payment_operators`, like the ERP adapters."""

from __future__ import annotations

from importlib.metadata import entry_points

from adapters.payments.port import PaymentOperator

ENTRY_POINT_GROUP = "ibok.payment_operators"


class OperatorNotFound(LookupError):
    """The configured operator name matches no entry point."""


def resolve_operator(name: str) -> type[PaymentOperator]:
    """The class behind a name; it must implement PaymentOperator."""
    matches = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not matches:
        known = ", ".join(sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)))
        raise OperatorNotFound(f"no payment operator named {name!r}; known: {known}")
    cls = matches[0].load()
    if not (isinstance(cls, type) and issubclass(cls, PaymentOperator)):
        raise OperatorNotFound(f"{name!r} is not a PaymentOperator implementation")
    return cls
