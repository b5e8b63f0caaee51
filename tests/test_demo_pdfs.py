"""The demo's PDF toolkit: the slimmed font still works, and rendering is repeatable byte for byte."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fixtures.demo import identifiers, pdfs
from fixtures.demo.ttf import slim_font

FONT = Path(pdfs.FONT_CANDIDATES[0])


@pytest.fixture
def font() -> Path:
    """Installed by `make test` (scripts/install-debian-package): without it these tests fail, never skip."""
    if not FONT.is_file():
        pytest.fail(f"DejaVu Sans is missing ({FONT}): apt-get install fonts-dejavu-core, or run make test")
    return FONT


def test_slimmed_font_is_much_smaller_and_still_a_truetype_font(font):
    slim = slim_font(font.read_bytes())
    assert slim[:4] == b"\x00\x01\x00\x00"
    assert len(slim) < 0.85 * font.stat().st_size


@pytest.mark.usefixtures("font")
def test_rendering_the_same_document_twice_gives_the_same_bytes():
    seller = {"name": "Wodociągi", "address": {"street": "ul. Mickiewicza 10", "postalCode": "47-100",
                                               "city": "Strzelce Opolskie"}, "taxId": "7561000001"}
    first = pdfs.document(seller, "Zażółć gęślą jaźń", ["Łódź, źdźbło, ćma."])
    assert first == pdfs.document(seller, "Zażółć gęślą jaźń", ["Łódź, źdźbło, ćma."])
    assert first.startswith(b"%PDF-") and len(first) < 15_000


@pytest.mark.parametrize(("value", "printed"), [("1234.5", "1 234,50 zł"), ("-7", "-7,00 zł"), ("0.01", "0,01 zł")])
def test_money_prints_the_polish_way(value, printed):
    assert pdfs.pl_money(value) == printed


def test_checksums_of_synthetic_identifiers():
    assert identifiers.pesel_is_valid("44051401359")
    assert not identifiers.pesel_is_valid("44051401358")
    assert identifiers.nip_is_valid(identifiers.nip("123456"))
    account = identifiers.iban("99900012", "0000000000001001")
    assert int(account[4:] + "2521" + account[2:4]) % 97 == 1
    number = identifiers.ksef_number("7561000001", date(2026, 2, 5), "abc")
    assert number.startswith("7561000001-20260205-000000000ABC-") and len(number) == 35
