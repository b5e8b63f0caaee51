"""Removes credentials from recorded exchanges, whatever the schema: they never reach a file.

Four nets, each catching what the others might miss: the SOAP Header keeps its elements but none of their
text (credentials, nonces, session ids; a replay matches the Body only); a field, query parameter or
header named like a credential (or declared secret by IT) loses its value wherever it is; and every
credential the settings hold is cut out of any text it appears in, encoded or not. Reply headers are not
written at all beyond Content-Type and Content-Disposition (recording.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable
from urllib.parse import quote, quote_plus, urlencode
from xml.sax.saxutils import escape

from lxml import etree

from adapters.testing.documents import rewrite_document
from adapters.testing.recording import Exchange, split_query

REDACTED = "REDACTED"
# Named like a credential: passwords (also Polish "hasło"), tokens, keys, nonces, signatures, cookies,
# session ids. "auth" but not "author" (a message's author is personal data, handled by anonymise.py).
SECRET_NAME = re.compile(
    r"pass(word|wd|phrase)?$|^pass|pwd|secret|token|nonce|signature|^sig$|credential|has[lł]o|klucz|"
    r"api.?key|access.?key|private.?key|subscription.?key|^key$|auth(?!or)|cookie|session.?id|^sid$",
    re.IGNORECASE,
)
SOAP_ENVELOPE_NAMESPACES = ("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope")
# A credential shorter than this is cut out only where it stands alone in a field, not inside any text.
MIN_SECRET_LENGTH = 4


def is_secret_name(name: str, declared: Iterable[str] = ()) -> bool:
    """A field, parameter or header whose value is a credential, by its name or by IT's declaration."""
    local = name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
    return local.lower() in {item.lower() for item in declared} or bool(SECRET_NAME.search(local))


@dataclass
class Redactor:
    """One recording's credentials: the values the settings hold and the field names IT declared secret."""

    secret_values: Iterable[str] = ()
    secret_names: Iterable[str] = ()
    _values: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.secret_names = tuple(self.secret_names)
        self._values = sorted({str(value) for value in self.secret_values if value}, key=len, reverse=True)

    def exchange(self, exchange: Exchange) -> Exchange:
        """The exchange with no credential left in its path, request, reply, headers or note."""
        body, names = self.body(exchange.request_body)
        return replace(
            exchange,
            path=self.cut(self.path(exchange.path)),
            request_body=body,
            redacted=sorted(set(exchange.redacted) | names),
            headers={name: self.cut(value) for name, value in exchange.headers.items() if not self._secret(name)},
            text=None if exchange.text is None else self.body(exchange.text)[0],
            note=self.cut(exchange.note),
        )

    def path(self, path: str) -> str:
        """Query parameters named like a credential keep their name, not their value."""
        base, pairs = split_query(path)
        if not pairs:
            return path
        return base + "?" + urlencode([(name, REDACTED if self._secret(name) else value) for name, value in pairs])

    def body(self, text: str) -> tuple[str, set[str]]:
        """The text with credentials removed, and the names of the fields whose values went."""
        names: set[str] = set()
        rewritten = rewrite_document(text, lambda name, value: self._leaf(name, value, names), before=_blank_headers)
        return self.cut(text if rewritten is None else rewritten), names

    def cut(self, text: str) -> str:
        """Every known credential, as written, JSON- or XML-escaped or percent-encoded, becomes REDACTED."""
        for value in self._values:
            if len(value) < MIN_SECRET_LENGTH:
                continue
            for form in {value, escape(value), json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value)}:
                text = text.replace(form, REDACTED)
        return text

    def _secret(self, name: str) -> bool:
        return is_secret_name(name, self.secret_names)

    def _leaf(self, name: str, value: Any, names: set[str]) -> Any:
        if self._secret(name) or str(value) in self._values:
            names.add(name)
            return REDACTED
        return value


def _blank_headers(root: Any) -> None:
    for header in [h for namespace in SOAP_ENVELOPE_NAMESPACES for h in root.iter(f"{{{namespace}}}Header")]:
        for element in header.iter():
            _blank(element)


def _blank(element: Any) -> None:
    """Keep the element, so a reader sees which headers went out; drop what it said."""
    if not isinstance(element.tag, str):
        return
    if element.text and element.text.strip():
        element.text = REDACTED
    for attribute in element.attrib:
        if etree.QName(attribute).localname not in ("mustUnderstand", "actor", "role", "Type", "EncodingType"):
            element.set(attribute, REDACTED)
