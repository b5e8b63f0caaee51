"""Polish bank account numbers (NRB): the 26 digits a customer pays into, checked as banks check them."""

from __future__ import annotations

import re

NRB_DIGITS = 26
# "PL" as IBAN digits (P = 25, L = 21): the NRB's check digits are the IBAN's, computed with the country.
POLAND = "2521"
_SEPARATORS = re.compile(r"[\s-]+")


def nrb_is_valid(number: str) -> bool:
    """26 digits whose IBAN checksum (ISO 13616, mod 97) holds: a mistyped digit never reaches a transfer."""
    if len(number) != NRB_DIGITS or not number.isascii() or not number.isdigit():
        return False
    return int(number[2:] + POLAND + number[:2]) % 97 == 1


def as_nrb(text: str) -> str | None:
    """The NRB in an account as ERPs write it (spaces, dashes, an IBAN's "PL"), or None if it is not one."""
    compact = _SEPARATORS.sub("", text).upper().removeprefix("PL")
    return compact if nrb_is_valid(compact) else None


def grouped(number: str) -> str:
    """The way Polish banks print an NRB: two check digits, then six groups of four."""
    return " ".join([number[:2], *(number[start:start + 4] for start in range(2, len(number), 4))])
