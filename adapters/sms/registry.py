"""Finds the SMS gateway IT named: an entry point of the group `ibok.sms_gateways`, like the payment operators."""

from __future__ import annotations

from adapters.core.plugins import plugin_class
from adapters.sms.port import SmsGateway

ENTRY_POINT_GROUP = "ibok.sms_gateways"


class GatewayNotFound(LookupError):
    """The configured gateway name matches no entry point."""


def resolve_gateway(name: str) -> type[SmsGateway]:
    """The class behind a name; it must implement SmsGateway."""
    return plugin_class(ENTRY_POINT_GROUP, name, SmsGateway, GatewayNotFound, "SMS gateway")
