"""Replaces personal data in recorded ERP replies by synthetic values that stay consistent across files.

Three passes over each reply: fields the contract names as personal (by wire name, in JSON or XML);
then every original value found so far, wherever else it appears (a name quoted in a message);
then patterns (e-mails, PESEL, NIP, bank accounts, phones). File contents become a synthetic PDF.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from typing import Any, Callable

from lxml import etree

from adapters.testing import synthetic
from adapters.testing.recording import Exchange, is_text

PERSON_FIELDS = {"fullName": "name", "userName": "name", "author": "name"}
ADDRESS_FIELDS = {"street": "street", "postalCode": "postal_code", "city": "city"}
CONTACT_FIELDS = {"email": "email", "phone": "phone", "taxId": "tax_id"}
# An individual account names one customer as surely as a PESEL: replaced by a checksum-valid stand-in,
# so a replayed reply still passes the portal's NRB check.
BANK_FIELDS = {"paymentAccount": "nrb"}
PERSONAL_FIELDS = {**PERSON_FIELDS, **ADDRESS_FIELDS, **CONTACT_FIELDS, **BANK_FIELDS}
BINARY_FIELDS = {"content"}

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")),
    ("account", re.compile(r"\b(PL ?)?\d{2}( ?\d{4}){6}\b")),
    ("phone", re.compile(r"\+48[ -]?\d{3}[ -]?\d{3}[ -]?\d{3}\b")),
    ("tax_id", re.compile(r"\b\d{10,11}\b")),
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class Anonymiser:
    """Holds one recording's mapping from original to synthetic values, so every file agrees."""

    def __init__(self, salt: str = "ibok") -> None:
        self.salt = salt
        self.mapping: dict[str, str] = {}

    def value(self, kind: str, original: str) -> str:
        """The synthetic stand-in for an original value: the same original always gets the same one."""
        if not original or original in self.mapping.values():
            return original
        if original not in self.mapping:
            seed = int(hashlib.sha256(f"{self.salt}|{kind}|{original}".encode()).hexdigest()[:12], 16)
            self.mapping[original] = synthetic.make(kind, original, seed, taken=set(self.mapping.values()))
        return self.mapping[original]

    def exchange(self, exchange: Exchange) -> Exchange:
        """Return the exchange with its reply anonymised; the request is the tester's own input."""
        if not is_text(exchange.content_type):
            return replace(exchange, base64=base64.b64encode(synthetic.PDF).decode("ascii"), text=None)
        text = exchange.text or ""
        if "json" in exchange.content_type:
            text = self._json(text)
        elif "xml" in exchange.content_type:
            text = self._xml(text)
        return replace(exchange, text=self.sweep(text))

    def sweep(self, text: str) -> str:
        """Replace every original seen so far, then anything that still looks personal."""
        for original in sorted(self.mapping, key=len, reverse=True):
            if len(original) >= 4:
                text = text.replace(original, self.mapping[original])
        for kind, pattern in PATTERNS:
            text = pattern.sub(self._replacer(kind), text)
        return text

    def _replacer(self, kind: str) -> Callable[[re.Match[str]], str]:
        return lambda match: self.value(kind, match.group(0))

    def _json(self, text: str) -> str:
        try:
            data = json.loads(text)
        except ValueError:
            return text
        return json.dumps(_walk_json(data, self._field), ensure_ascii=False)

    def _xml(self, text: str) -> str:
        try:
            root = etree.fromstring(text.encode("utf-8"), _PARSER)
        except etree.XMLSyntaxError:
            return text
        for element in root.iter():
            if isinstance(element.tag, str) and element.text and len(element) == 0:
                element.text = self._field(etree.QName(element).localname, element.text)
        return etree.tostring(root, encoding="unicode")

    def _field(self, name: str, value: str) -> str:
        if name in BINARY_FIELDS:
            return base64.b64encode(synthetic.PDF).decode("ascii")
        if name in PERSONAL_FIELDS:
            return self.value(PERSONAL_FIELDS[name], value)
        return value


def _walk_json(data: Any, on_field: Callable[[str, str], str]) -> Any:
    if isinstance(data, dict):
        return {
            key: on_field(key, value) if isinstance(value, str) else _walk_json(value, on_field)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_walk_json(item, on_field) for item in data]
    return data


def anonymise_all(exchanges: list[Exchange], salt: str = "ibok") -> list[Exchange]:
    """Two rounds, so a value first met late (a name in the tenth file) is also replaced in the first."""
    anonymiser = Anonymiser(salt)
    first = [anonymiser.exchange(exchange) for exchange in exchanges]
    return [replace(item, text=anonymiser.sweep(item.text)) if item.text else item for item in first]
