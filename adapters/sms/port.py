"""The port an SMS gateway implements: one text to one number. No Flask: built from a plain mapping of settings."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Mapping


class SmsGateway(ABC):
    """Sends one short text; raises SmsError's kinds (adapters.sms.errors), never the transport's own."""

    @classmethod
    @abstractmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmsGateway:
        """Built from the portal's settings (SMS_*, and the gateway's own)."""

    @abstractmethod
    def send(self, number: str, text: str) -> str:
        """Send `text` to `number` (digits, country code first, no "+"); returns the gateway's message id."""
