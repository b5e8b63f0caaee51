"""What the portal and a payment operator exchange: plain frozen records, money in Decimal and grosze."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PaymentOrder:
    """One transaction to register: the portal's own session id names it at the operator."""

    session_id: str
    amount: Decimal
    description: str
    email: str
    return_url: str
    notification_url: str
    currency: str = "PLN"
    language: str = "pl"


@dataclass(frozen=True)
class Registration:
    """The operator's token for a registered transaction and the page the payer is sent to."""

    token: str
    redirect_url: str


@dataclass(frozen=True)
class Expected:
    """The portal's own record of a payment, which a notification must match before it is believed."""

    session_id: str
    amount: Decimal
    currency: str = "PLN"


@dataclass(frozen=True)
class Notification:
    """A notification whose signature held: the operator says this session's money was paid."""

    session_id: str
    grosze: int
    currency: str
    order_id: int
