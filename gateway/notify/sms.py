"""One reminder SMS: its text from templates/sms/, kept to GSM-7 (160 characters a part rather than 70), and the
customer's number in the form the gateway takes."""

from __future__ import annotations

import re
from typing import Any, Mapping

from flask import render_template

from adapters.sms.port import SmsGateway
from adapters.sms.registry import resolve_gateway
from gateway.accounts.mail import in_language
from gateway.notify.events import Event
from gateway.notify.kinds import KINDS

# Polish letters outside GSM-7's basic set, and the spaces a formatted amount or date may hold.
TO_GSM = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ\u00a0\u202f", "acelnoszzACELNOSZZ  ")
COUNTRY = "48"
NATIONAL_DIGITS = 9


def sms_gateway(config: Mapping[str, Any]) -> SmsGateway:
    """The gateway IT named in SMS_GATEWAY, built from the settings."""
    return resolve_gateway(str(config["SMS_GATEWAY"])).from_config(config)


def sms_text(event: Event, customer_id: str, language: str | None = None) -> str:
    """In the language the customer chose (None: the utility's default), on one line, without diacritics: a Polish
    letter would turn the whole message into UCS-2 and split it at 70 characters. It names the customer number, for
    an account showing several customers."""
    with in_language(language):
        text = render_template(KINDS[event.kind].sms_template, customer_id=customer_id, **event.facts)
    return " ".join(text.split()).translate(TO_GSM)


def phone_number(phone: str | None) -> str | None:
    """Digits only, with Poland's country code when the ERP keeps a national number; None when there is none."""
    digits = re.sub(r"\D", "", phone or "")
    if phone and phone.strip().startswith("00"):
        digits = digits[2:]
    if len(digits) == NATIONAL_DIGITS:
        digits = COUNTRY + digits
    return digits or None
