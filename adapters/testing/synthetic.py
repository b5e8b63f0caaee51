"""Synthetic stand-ins for personal data: plainly invented, Polish-looking, valid where a checksum exists."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Callable

FIRST_NAMES = ("Adam", "Barbara", "Celina", "Damian", "Ewa", "Feliks", "Grażyna", "Henryk", "Irena", "Jerzy")
LAST_NAMES = ("Przykładowy", "Fikcyjny", "Zmyślony", "Wzorcowy", "Testowy", "Umowny", "Próbny", "Modelowy")
STREETS = ("ul. Przykładowa", "ul. Testowa", "ul. Wzorcowa", "ul. Fikcyjna", "ul. Próbna", "ul. Umowna")
CITIES = ("Wzorcowo", "Testów", "Przykładowo", "Fikcyjna Wola")

PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def _name(original: str, seed: int) -> str:
    if any(mark in original.lower() for mark in ("sp.", "s.a.", "spółka", '"')):
        return f"Firma Przykładowa {seed % 1000:03d} sp. z o.o."
    first = FIRST_NAMES[seed % len(FIRST_NAMES)]
    last = LAST_NAMES[(seed // 7) % len(LAST_NAMES)]
    return f"{first} {last}-{seed % 97:02d}"


def pesel(seed: int) -> str:
    digits = f"{seed % 10**10:010d}"
    check = (10 - sum(int(d) * w for d, w in zip(digits, PESEL_WEIGHTS)) % 10) % 10
    return digits + str(check)


def nip(seed: int) -> str:
    for offset in range(10):
        digits = f"{(seed + offset) % 10**9:09d}"
        check = sum(int(d) * w for d, w in zip(digits, NIP_WEIGHTS)) % 11
        if check < 10:
            return digits + str(check)
    return "0000000000"


def nrb(seed: int) -> str:
    """A checksum-valid account number at bank 999, which does not exist: banking apps accept it, nobody owns it."""
    bban = f"99900099{seed % 10**16:016d}"
    return f"{98 - int(bban + '252100') % 97:02d}{bban}"


def _tax_id(original: str, seed: int) -> str:
    return nip(seed) if sum(char.isdigit() for char in original) == 10 else pesel(seed)


MAKERS: dict[str, Callable[[str, int], str]] = {
    "name": _name,
    "street": lambda original, seed: f"{STREETS[seed % len(STREETS)]} {seed % 150 + 1}",
    "postal_code": lambda original, seed: f"00-{seed % 1000:03d}",
    "city": lambda original, seed: CITIES[seed % len(CITIES)],
    "email": lambda original, seed: f"klient{seed % 100000:05d}@przyklad.invalid",
    "phone": lambda original, seed: f"+48 500 {seed % 1000:03d} {seed // 1000 % 1000:03d}",
    "tax_id": _tax_id,
    "pesel": lambda original, seed: pesel(seed),
    "nip": lambda original, seed: nip(seed),
    "account": lambda original, seed: "PL00" + f"{seed % 10**22:022d}",
    "nrb": lambda original, seed: nrb(seed),
    "iban": lambda original, seed: "PL" + nrb(seed),
    "name_part": lambda original, seed: LAST_NAMES[seed % len(LAST_NAMES)] + f"{seed % 89 + 10}",
    "postal_city": lambda original, seed: f"00-{seed % 1000:03d} {CITIES[seed % len(CITIES)]}",
    "text": lambda original, seed: f"Dane zanonimizowane {seed % 100000:05d}",
}


def make(kind: str, original: str, seed: int, taken: set[str]) -> str:
    """A synthetic value of this kind (an unknown kind: plain text) not already standing in for another original."""
    maker = MAKERS.get(kind, MAKERS["text"])
    for attempt in range(50):
        candidate = maker(original, seed + attempt * 7919)
        if candidate not in taken:
            return candidate
    return f"{maker(original, seed)}-{len(taken)}"


def _minimal_pdf(text: str) -> bytes:
    """A valid one-page PDF, built by hand so the recorder needs no PDF library."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = _minimal_pdf("Dokument zanonimizowany - tresc usunieta przy nagrywaniu")


def _png() -> bytes:
    """A valid 1x1 grey PNG, built by hand for the same reason."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc8")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG = _png()
# An 8x8 grey JPEG (Pillow's output, kept as bytes so the recorder needs no imaging library).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeF"
    "xlZ2P/wAALCAAIAAgBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAABv/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8ASP/Z"
)
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
TEXT = "Dokument zanonimizowany - treść usunięta przy nagrywaniu\n".encode("utf-8")
# The file types an ERP sends, by their first bytes and by Content-Type, each with its stand-in.
FILE_TYPES: tuple[tuple[bytes, str, bytes], ...] = (
    (b"%PDF", "pdf", PDF),
    (b"\x89PNG", "png", PNG),
    (b"\xff\xd8\xff", "jpeg", JPEG),
    (b"GIF8", "gif", GIF),
)


def file_like(content: bytes, content_type: str = "") -> bytes:
    """A synthetic file of the same type as the original (by its first bytes, else its Content-Type)."""
    for magic, kind, stand_in in FILE_TYPES:
        if content.startswith(magic) or kind in content_type.lower():
            return stand_in
    return TEXT if content_type.lower().startswith("text/") else PDF


def looks_like_file(content: bytes) -> bool:
    """Whether decoded bytes are a file the recorder knows by its first bytes."""
    return any(content.startswith(magic) for magic, _, _ in FILE_TYPES)
