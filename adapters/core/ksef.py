"""KSeF, the national e-invoice system: its invoice numbers' checksum and the verification link ("KOD I").

As the Ministry of Finance specifies them in `CIRFMF/ksef-docs` (faktury/numer-ksef.md, kody-qr.md).
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date

# NIP(10)-YYYYMMDD-12 hex digits-CRC(2 hex); the schema's optional middle dash is KSeF 1.0's, which 2.0 never
# issues, so a number is also held to its 35 characters.
NUMBER_PATTERN = re.compile(
    r"^([1-9](\d[1-9]|[1-9]\d)\d{7})-(20[2-9][0-9]|2[1-9]\d{2}|[3-9]\d{3})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"
    r"-([0-9A-F]{6})-?([0-9A-F]{6})-([0-9A-F]{2})$"
)
NUMBER_LENGTH = 35
CHECKED_PART = 32  # the checksum covers everything before the last dash, dashes included
CRC8_POLYNOMIAL = 0x07
SHA256_BYTES = 32

# KSEF_ENVIRONMENT → the host a verification link points at (kody-qr.md, "Środowiska").
QR_HOSTS = {
    "prd": "https://qr.ksef.mf.gov.pl",
    "demo": "https://qr-demo.ksef.mf.gov.pl",
    "test": "https://qr-test.ksef.mf.gov.pl",
}
# The label under KOD I of an invoice issued offline that KSeF has not numbered yet.
OFFLINE_LABEL = "OFFLINE"


def crc8(text: str) -> int:
    """CRC-8 with polynomial 0x07 and initial value 0, the checksum KSeF ends its numbers with."""
    crc = 0
    for byte in text.encode("ascii"):
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ CRC8_POLYNOMIAL) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def with_checksum(data_part: str) -> str:
    """A number's 32-character data part with its checksum appended, as KSeF writes it."""
    return f"{data_part}-{crc8(data_part):02X}"


def is_valid_number(number: str) -> bool:
    """Whether a KSeF number has the format and the checksum KSeF gives: a number that fails is shown unverified."""
    if len(number) != NUMBER_LENGTH or not NUMBER_PATTERN.match(number):
        return False
    return with_checksum(number[:CHECKED_PART]) == number


def seller_nip(number: str) -> str:
    """The NIP a KSeF number starts with (that of the seller who sent the invoice)."""
    return number.split("-", 1)[0]


def file_hash(content: bytes) -> str:
    """The invoice file's SHA-256 in Base64, as KSeF's `invoiceHash` carries it."""
    return base64.b64encode(hashlib.sha256(content).digest()).decode("ascii")


def hash_for_link(invoice_hash: str) -> str | None:
    """The hash as a link carries it (Base64URL, no padding); None when it is no Base64 SHA-256."""
    try:
        digest = base64.b64decode(invoice_hash, validate=True)
    except ValueError:  # binascii.Error is one
        return None
    if len(digest) != SHA256_BYTES:
        return None
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verification_link(host: str, seller: str, issued_on: date, invoice_hash: str) -> str | None:
    """KOD I's link: host, seller's NIP, issue date DD-MM-YYYY, the file's hash; None without a usable hash."""
    link_hash = hash_for_link(invoice_hash)
    if link_hash is None:
        return None
    return f"{host}/invoice/{seller}/{issued_on:%d-%m-%Y}/{link_hash}"
