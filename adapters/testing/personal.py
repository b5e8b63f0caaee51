"""What counts as personal data in a reply of any schema: values by pattern, a customer's own strings.

Patterns carry their checksums where one exists (PESEL, NIP, IBAN), so an invoice number of eleven digits
stays as it is and a replay still finds it. A customer's own record, as the adapter read it, gives the
strings to find anywhere: the whole name and each part of it (a foreign schema may split them), each
address, the street's name without its number, the e-mail, phone, tax id and bank account.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator, Mapping

PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
STREET_PREFIX = re.compile(r"^(ul|al|os|pl)\.\s*|^(ulica|aleja|osiedle|plac)\s+", re.IGNORECASE)
NUMBER_KINDS = ("tax_id", "pesel", "nip", "nrb", "account", "iban")
UPPER, LOWER = "A-ZĄĆĘŁŃÓŚŹŻ", "a-ząćęłńóśźż"
# A field name's hint of what it holds, for fields IT declares personal without saying what they are.
FIELD_HINTS: tuple[tuple[str, str], ...] = (
    ("mail", "email"), ("tel", "phone"), ("phone", "phone"), ("komork", "phone"),
    ("pesel", "tax_id"), ("nip", "tax_id"), ("tax", "tax_id"), ("iban", "iban"), ("konto", "nrb"),
    ("account", "nrb"), ("nrb", "nrb"), ("kod", "postal_code"), ("postal", "postal_code"), ("zip", "postal_code"),
    ("miast", "city"), ("miejscow", "city"), ("city", "city"), ("town", "city"), ("ulic", "street"),
    ("street", "street"), ("adres", "street"), ("address", "street"), ("imi", "name"), ("nazw", "name"),
    ("name", "name"), ("osob", "name"), ("person", "name"),
)


def pesel_valid(digits: str) -> bool:
    check = (10 - sum(int(d) * w for d, w in zip(digits, PESEL_WEIGHTS)) % 10) % 10
    return len(digits) == 11 and digits.isdigit() and check == int(digits[10])


def nip_valid(text: str) -> bool:
    digits = text.replace("-", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    return sum(int(d) * w for d, w in zip(digits, NIP_WEIGHTS)) % 11 == int(digits[9])


def iban_valid(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return number.isdigit() and int(number) % 97 == 1


PATTERNS: tuple[tuple[str, re.Pattern[str], Callable[[str], bool]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), bool),
    ("iban", re.compile(r"\b(?!PL)[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"), iban_valid),
    ("account", re.compile(r"\b(PL ?)?\d{2}( ?\d{4}){6}\b"), bool),
    ("phone", re.compile(r"(?<![\w+])(?:\+|00)48[ -]?\d{3}[ -]?\d{3}[ -]?\d{3}(?!\d)"), bool),
    # Without the country's prefix only when grouped (601 234 567, (22) 123 45 67): nine bare digits may be an id.
    ("phone", re.compile(
        r"(?<![\w+.,-])(?<!48 )(?<!48-)(?:\d{3}[ -]\d{3}[ -]\d{3}|\(\d{2}\) ?\d{3}[ -]\d{2}[ -]\d{2})(?![\d.,-])"
    ), bool),
    ("tax_id", re.compile(r"\b\d{11}\b"), pesel_valid),
    ("tax_id", re.compile(r"\b\d{3}-?\d{3}-?\d{2}-?\d{2}\b|\b\d{3}-\d{2}-\d{2}-\d{3}\b"), nip_valid),
)
# A street with its number, and a postcode with the town after it: personal only next to each other.
STREET = re.compile(rf"\b(?:ul|al|os|pl)\.\s?[{UPPER}{LOWER}][^\d,;<>\"\n]{{1,40}}?\s\d+[a-zA-Z]?(?:/\d+[a-zA-Z]?)?")
POSTCODE = re.compile(rf"(?<![\w/-])\d{{2}}-\d{{3}}(?:\s+[{UPPER}][{LOWER}-]+(?:\s+[{UPPER}][{LOWER}-]+)?)?(?!\d)")


def same_value(kind: str, original: str) -> tuple[str, str]:
    """What makes two writings one value: a phone's last nine digits, a number's digits, else any case."""
    digits = re.sub(r"\D", "", original)
    if kind == "phone" and len(digits) >= 9:
        return kind, digits[-9:]
    if kind in NUMBER_KINDS and digits:
        return "number", digits
    return kind, original.lower()


def kind_of_field(name: str) -> str:
    """The kind of stand-in a declared field gets, guessed from its name ("NrKonta" → a bank account)."""
    lowered = name.lower()
    return next((kind for hint, kind in FIELD_HINTS if hint in lowered), "text")


def declared_fields(declared: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """Field name → kind, from IT's mapping or a plain list of names (a kind not said is guessed)."""
    if isinstance(declared, Mapping):
        return {str(name): str(kind) if kind else kind_of_field(str(name)) for name, kind in declared.items()}
    return {str(name): kind_of_field(str(name)) for name in declared}


def customer_values(customer: Any) -> Iterator[tuple[str, str]]:
    """(kind, text) for every personal string in a customer's record, as the adapter read it."""
    name = getattr(customer, "name", None) or ""
    yield "name", name
    for part in re.findall(rf"[{UPPER}{LOWER}][{UPPER}{LOWER}'-]{{2,}}", name):
        yield "name_part", part
    addresses = [getattr(customer, "address", None)] + [p.address for p in getattr(customer, "premises", ())]
    for address in filter(None, addresses):
        yield from _address_values(address)
    for kind, attribute in (("email", "email"), ("phone", "phone"), ("tax_id", "tax_id"), ("nrb", "payment_account")):
        value = getattr(customer, attribute, None) or ""
        yield kind, value
        if kind in ("phone", "nrb") and value:
            yield from ((kind, variant) for variant in _digit_variants(value))


def _address_values(address: Any) -> Iterator[tuple[str, str]]:
    street = address.street or ""
    yield "street", street
    core = re.sub(r"\s+\d+[a-zA-Z]?(/\d+[a-zA-Z]?)?(\s*m\.\s*\d+)?$", "", STREET_PREFIX.sub("", street)).strip()
    if core != street and len(core) >= 3:
        yield "name_part", core
    yield "postal_code", address.postal_code or ""
    yield "city", address.city or ""


def _digit_variants(value: str) -> Iterator[str]:
    """The same number written without spaces, or without the country's prefix, as another schema may."""
    digits = re.sub(r"\D", "", value)
    yield digits
    if len(digits) == 11 and digits.startswith("48"):
        yield digits[2:]
        yield f"{digits[2:5]} {digits[5:8]} {digits[8:]}"
