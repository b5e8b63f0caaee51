"""KSeF numbers checked and KOD I's link built as the Ministry's documents say (ksef-docs: faktury/numer-ksef.md,
kody-qr.md), against their own examples."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.core import ksef
from fixtures.demo.identifiers import ksef_number

DOCS_NUMBER = "5265877635-20250826-0100001AF629-AF"  # numer-ksef.md's example
# kody-qr.md's example: the file's hash as KSeF's invoiceHash carries it (Base64), and the link it gives.
DOCS_HASH = "UtQp9Gpc51y+u3xApZjIjgkpZ01js+J8KflSPW8WzIE="
DOCS_LINK = "https://qr-test.ksef.mf.gov.pl/invoice/1111111111/01-02-2026/UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE"


def test_the_docs_example_number_is_valid():
    assert ksef.crc8(DOCS_NUMBER[:32]) == 0xAF
    assert ksef.is_valid_number(DOCS_NUMBER)


@pytest.mark.parametrize("number", [
    "5265877635-20250826-0100001AF629-AE",  # the checksum of another number
    "5265877635-20250826-0100001AF628-AF",  # one digit of the technical part changed
    "5265877636-20250826-0100001AF629-AF",  # one digit of the NIP changed
    "5265877635-20250826-0100001af629-AF",  # hex in lower case
    "5265877635-20250826-0100001AF629-AF ",  # 36 characters
    "5265877635-20250826-010000-1AF629-AF",  # KSeF 1.0's 36-character form
    "5265877635-20251326-0100001AF629-AF",  # no 13th month
    "0265877635-20250826-0100001AF629-AF",  # a NIP does not start with 0
    "",
])
def test_a_number_off_by_anything_is_not_valid(number):
    assert not ksef.is_valid_number(number)


def test_the_demo_makes_valid_numbers_with_the_same_checksum():
    number = ksef_number("7561000001", date(2026, 2, 5), "9f3c6f2195c4")
    assert number == "7561000001-20260205-9F3C6F2195C4-EC"
    assert ksef.is_valid_number(number) and ksef.seller_nip(number) == "7561000001"


def test_the_link_is_the_docs_example():
    assert ksef.verification_link(ksef.QR_HOSTS["test"], "1111111111", date(2026, 2, 1), DOCS_HASH) == DOCS_LINK


def test_each_environment_has_its_qr_host():
    assert ksef.QR_HOSTS == {"prd": "https://qr.ksef.mf.gov.pl", "demo": "https://qr-demo.ksef.mf.gov.pl",
                             "test": "https://qr-test.ksef.mf.gov.pl"}


@pytest.mark.parametrize("bad_hash", ["", "not base64!", "UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE",
                                      "AAAA", "UtQp9Gpc51y+u3xApZjIjgkpZ01js+J8KflSPW8WzIEA"])
def test_without_a_sha256_in_base64_there_is_no_link(bad_hash):
    assert ksef.verification_link(ksef.QR_HOSTS["prd"], "1111111111", date(2026, 2, 1), bad_hash) is None


def test_the_file_hash_is_base64_of_sha256():
    assert ksef.file_hash(b"") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
