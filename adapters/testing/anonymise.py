"""Replaces personal data in recorded ERP exchanges by synthetic values that stay consistent across files.

Works on any schema: fields named personal (the reference contract's, and those IT declares for its own
ERP), every string the customers' own records hold (found anywhere, in any case, also inside JSON and XML
strings, requests and paths included), then patterns (e-mails, PESEL and NIP with their checksums, bank
accounts, phones, a street with its postcode). JSON and XML are walked value by value, so escaping cannot
hide a value and no key or tag is touched. File contents become a synthetic file of the same type. The same
original always gets the same stand-in, so a replay stays coherent.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote, unquote, urlencode

from adapters.testing import synthetic
from adapters.testing.documents import rewrite_document
from adapters.testing.personal import PATTERNS, POSTCODE, STREET, customer_values, declared_fields, same_value
from adapters.testing.recording import Exchange, is_text, split_query

PERSON_FIELDS = {"fullName": "name", "userName": "name", "author": "name"}
ADDRESS_FIELDS = {"street": "street", "postalCode": "postal_code", "city": "city"}
CONTACT_FIELDS = {"email": "email", "phone": "phone", "taxId": "tax_id"}
# An individual account names one customer as surely as a PESEL: replaced by a checksum-valid stand-in,
# so a replayed reply still passes the portal's NRB check.
BANK_FIELDS = {"paymentAccount": "nrb"}
PERSONAL_FIELDS = {**PERSON_FIELDS, **ADDRESS_FIELDS, **CONTACT_FIELDS, **BANK_FIELDS}
BINARY_FIELDS = {"content"}
# A string this long in the base64 alphabet may be a file; it is one if it decodes to known first bytes.
MIN_FILE_CHARS = 64
BASE64 = re.compile(r"^[A-Za-z0-9+/\s]+={0,2}$")
# Shorter originals (two-letter name parts) would replace too much that is not theirs.
MIN_ORIGINAL_CHARS = 3


class Anonymiser:
    """Holds one recording's mapping from original to synthetic values, so every file agrees."""

    def __init__(self, salt: str = "ibok", personal_fields: Mapping[str, str] | Iterable[str] = ()) -> None:
        self.salt = salt
        self.mapping: dict[str, str] = {}
        self.fields = {**PERSONAL_FIELDS, **declared_fields(personal_fields)}
        self._by_lower: dict[str, str] = {}
        self._by_identity: dict[tuple[str, str], str] = {}
        self._stand_ins: set[str] = set()
        self._known: re.Pattern[str] | None = None

    def value(self, kind: str, original: str) -> str:
        """The synthetic stand-in for an original value: the same original (in any case) gets the same one."""
        if not original or original in self._stand_ins:
            return original
        if original.lower() not in self._by_lower:
            identity = same_value(kind, original)
            made = self._by_identity.get(identity)
            if made is None:
                seed = int(hashlib.sha256(f"{self.salt}|{kind}|{original}".encode()).hexdigest()[:12], 16)
                made = self._by_identity[identity] = synthetic.make(kind, original, seed, taken=self._stand_ins)
            self._by_lower[original.lower()] = made
            self._stand_ins.add(made)
            self._known = None
        self.mapping.setdefault(original, self._by_lower[original.lower()])
        return self._by_lower[original.lower()]

    def learn_customer(self, customer: Any) -> None:
        """Every personal string of a customer's record, as fetched, is replaced wherever it appears."""
        for kind, text in customer_values(customer):
            if len(text.strip()) >= MIN_ORIGINAL_CHARS:
                self.value(kind, text.strip())

    def exchange(self, exchange: Exchange) -> Exchange:
        """The exchange with personal data replaced in its reply, request, path and headers."""
        replaced = replace(
            exchange,
            path=self._path(exchange.path),
            request_body=self.document(exchange.request_body, files=False),
            headers={name: self.sweep(value) for name, value in exchange.headers.items()},
            note=self.sweep(exchange.note),
        )
        if not is_text(exchange.content_type):
            stand_in = synthetic.file_like(exchange.content, exchange.content_type)
            return replace(replaced, base64=base64.b64encode(stand_in).decode("ascii"), text=None)
        return replace(replaced, text=self.document(exchange.text or ""))

    def document(self, text: str, files: bool = True) -> str:
        """A JSON or XML text rewritten value by value; any other text swept whole."""
        rewritten = rewrite_document(text, lambda name, value: self._field(name, value, files), self.sweep)
        return self.sweep(text) if rewritten is None else rewritten

    def sweep(self, text: str) -> str:
        """Replace every original seen so far (any case), then anything that still looks personal."""
        if not text:
            return text
        known = self._known_pattern()
        if known is not None:
            text = known.sub(lambda match: self._by_lower[match.group(0).lower()], text)
        for kind, pattern, valid in PATTERNS:
            text = pattern.sub(self._replacer(kind, valid), text)
        if STREET.search(text):
            text = STREET.sub(self._replacer("street", bool), text)
            text = POSTCODE.sub(self._replacer("postal_city", self._not_a_stand_in), text)
        return text

    def _known_pattern(self) -> re.Pattern[str] | None:
        if self._known is None and self._by_lower:
            originals = sorted((o for o in self._by_lower if len(o) >= MIN_ORIGINAL_CHARS), key=len, reverse=True)
            alternatives = "|".join(re.escape(original) for original in originals)
            self._known = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if originals else None
        return self._known

    def _not_a_stand_in(self, postcode_and_town: str) -> bool:
        """A postcode already replaced (its town after it or not) is left as it is."""
        return postcode_and_town.split()[0] not in self._stand_ins and postcode_and_town not in self._stand_ins

    def _replacer(self, kind: str, valid: Callable[[str], bool]) -> Callable[[re.Match[str]], str]:
        return lambda match: self.value(kind, match.group(0)) if valid(match.group(0)) else match.group(0)

    def _field(self, name: str, value: Any, files: bool) -> Any:
        text = str(value)
        if files and isinstance(value, str) and (name in BINARY_FIELDS or _is_file(value)):
            return base64.b64encode(self._file(_decoded(value))).decode("ascii")
        new = self.value(self.fields[name], text) if name in self.fields else self.sweep(text)
        if new == text:
            return value
        if isinstance(value, str):
            return new
        digits = re.sub(r"\D", "", new)
        return int(digits) if digits and isinstance(value, int) else new

    def _file(self, content: bytes) -> bytes:
        """An XML file (a KSeF e-invoice) keeps its structure with its values replaced, as it does when it is a
        reply of its own, so both protocols replay the same valid file; any other becomes a synthetic one."""
        if content.lstrip().startswith(b"<"):
            return self.document(content.decode("utf-8", errors="replace")).encode("utf-8")
        return synthetic.file_like(content)

    def _path(self, path: str) -> str:
        base, pairs = split_query(path)
        swept = self.sweep(unquote(base))
        new_base = base if swept == unquote(base) else quote(swept, safe="/:@!$&'()*+,;=~")
        if not pairs:
            return new_base + ("?" if "?" in path else "")
        return new_base + "?" + urlencode([(name, self._field(name, value, False)) for name, value in pairs])


def _decoded(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=False)
    except ValueError:  # binascii.Error is one
        return b""


def _is_file(value: str) -> bool:
    return len(value) >= MIN_FILE_CHARS and bool(BASE64.match(value)) and synthetic.looks_like_file(_decoded(value))


def anonymise_all(
    exchanges: list[Exchange],
    salt: str = "ibok",
    personal_fields: Mapping[str, str] | Iterable[str] = (),
    customers: Iterable[Any] = (),
) -> list[Exchange]:
    """Two rounds, so a value first met late (a name in the tenth file) is also replaced in the first."""
    anonymiser = Anonymiser(salt, personal_fields)
    for customer in customers:
        anonymiser.learn_customer(customer)
    first = [anonymiser.exchange(exchange) for exchange in exchanges]
    return [anonymiser.exchange(exchange) for exchange in first]
