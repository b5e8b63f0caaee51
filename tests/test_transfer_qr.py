"""The ZBP transfer QR code: the recommendation's field order and limits on its own examples, and a code that a
barcode reader (zxing-cpp, as banking apps read it) decodes back to the exact text."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import segno
import zxingcpp
from PIL import Image

from gateway.web.paying import zbp_payload

ACCOUNT = "92124012340001567890123456"  # the recommendation's example account


def test_the_recommendations_institutional_example():
    payload = zbp_payload("1234567890", ACCOUNT, Decimal("12.00"), "Odbiorca 1", "FV 1234/34/2012")
    assert payload == "1234567890|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||"


def test_the_recommendations_private_example_has_no_nip():
    payload = zbp_payload("", ACCOUNT, Decimal("12"), "Odbiorca 1", "Przelew ekspress")
    assert payload == "|PL|92124012340001567890123456|001200|Odbiorca 1|Przelew ekspress|||"


@pytest.mark.parametrize("amount, grosze", [
    (Decimal("0.01"), "000001"),
    (Decimal("183.15"), "018315"),
    (Decimal("17.145"), "001715"),  # half a grosz rounds up, as the invoice does
    (Decimal("9999.99"), "999999"),
    (Decimal("10000.00"), "000000"),  # six digits cannot hold it: the payer types the amount
    (Decimal("36358.35"), "000000"),
    (None, "000000"),
])
def test_amount_in_grosze_or_left_to_the_payer(amount, grosze):
    assert zbp_payload("7561000001", ACCOUNT, amount, "SWiK", "Saldo K-1001").split("|")[3] == grosze


def test_name_and_title_are_cut_to_their_lengths_and_cleaned_of_separators():
    payload = zbp_payload("756-100-00-01", ACCOUNT, Decimal("1"), "Strzeleckie Wodociągi i Kanalizacja",
                          "Faktura|FV/00117/11/2026\nza wodę i ścieki, okres X")
    fields = payload.split("|")
    assert len(fields) == 9
    assert fields[0] == "7561000001"
    assert fields[4] == "Strzeleckie Wodociąg"
    assert fields[5] == "Faktura FV/00117/11/2026 za wodę"
    assert len(fields[5]) == 32


def test_a_nip_that_is_not_ten_digits_is_left_out():
    assert zbp_payload("75610000", ACCOUNT, Decimal("1"), "SWiK", "T").startswith("|PL|")


def test_the_longest_payload_stays_within_160_characters():
    payload = zbp_payload("7561000001", ACCOUNT, Decimal("9999.99"), "Ż" * 50, "ę" * 50)
    assert len(payload) == 10 + 2 + 26 + 6 + 20 + 32 + 8 <= 160


def test_a_banking_app_reader_decodes_the_code_to_the_exact_utf8_text():
    payload = zbp_payload("7561000001", "62999000120000000000001001", Decimal("17.14"), "SWiK Sp. z o.o.",
                          "Zaległość – ŻÓŁW ąćęłńóśźż")
    code = segno.make_qr(payload, error="l", boost_error=False, encoding="utf-8")
    png = io.BytesIO()
    code.save(png, kind="png", scale=4)
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    assert found.ec_level == "L"
    assert found.bytes == payload.encode("utf-8")
    assert found.text == payload
