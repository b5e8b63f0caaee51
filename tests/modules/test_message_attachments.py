"""Attachment checks: the type comes from the bytes, a name that says otherwise is refused, limits hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.pages.messages.attachments import (
    JPEG,
    PDF,
    PNG,
    SIGNATURES,
    AttachmentRefused,
    Problem,
    check_attachment,
    check_attachments,
    sniff,
    stored_name,
)

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
LIMIT = 1024


def refusal(name, content, max_bytes=LIMIT):
    with pytest.raises(AttachmentRefused) as refused:
        check_attachment(name, content, max_bytes)
    return refused.value.problem


@pytest.mark.parametrize("content, content_type", [(PDF_BYTES, PDF), (JPEG_BYTES, JPEG), (PNG_BYTES, PNG),
                                                   (b"GIF89a", None), (b"<svg/>", None), (b"", None),
                                                   (b"%PDF", None), (b"\x89PNG", None), (b"MZ\x90\x00", None)])
def test_the_type_is_read_from_the_first_bytes(content, content_type):
    assert sniff(content) == content_type


@pytest.mark.parametrize("name, content, content_type, stored", [
    ("reklamacja.pdf", PDF_BYTES, PDF, "reklamacja.pdf"),
    ("Zdjęcie LICZNIKA.JPG", JPEG_BYTES, JPEG, "Zdjęcie LICZNIKA.jpg"),
    ("foto.jpeg", JPEG_BYTES, JPEG, "foto.jpg"),
    ("ekran.png", PNG_BYTES, PNG, "ekran.png"),
    ("skan", PDF_BYTES, PDF, "skan.pdf"),
])
def test_a_file_whose_bytes_and_name_agree_is_accepted(name, content, content_type, stored):
    attachment = check_attachment(name, content, LIMIT)
    assert (attachment.filename, attachment.content_type, attachment.content) == (stored, content_type, content)


@pytest.mark.parametrize("name, content", [
    ("faktura.pdf", PNG_BYTES),
    ("zdjecie.png", JPEG_BYTES),
    ("dokument.exe", PDF_BYTES),
    ("strona.html", PDF_BYTES),
    ("obraz.pdf.png", PDF_BYTES),
])
def test_a_file_whose_content_does_not_match_its_name_is_refused(name, content):
    assert refusal(name, content) == Problem.NAME_MISMATCH


@pytest.mark.parametrize("name, content", [
    ("faktura.pdf", b"<html><script>alert(1)</script>"),
    ("obraz.png", b"GIF89a\x01\x00"),
    ("skrypt.pdf", b"MZ\x90\x00" + b"\x00" * 60),
    ("notatka.txt", b"just text"),
])
def test_content_that_is_none_of_the_accepted_types_is_refused_whatever_the_name(name, content):
    assert refusal(name, content) == Problem.NOT_ALLOWED


def test_an_empty_file_is_refused():
    assert refusal("pusty.pdf", b"") == Problem.EMPTY


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_is_not():
    exact = PDF_BYTES + b"\x00" * (LIMIT - len(PDF_BYTES))
    assert check_attachment("a.pdf", exact, LIMIT).content == exact
    assert refusal("a.pdf", exact + b"\x00") == Problem.TOO_LARGE


def test_more_files_than_allowed_are_refused_and_the_refusal_names_the_file():
    files = [("a.pdf", PDF_BYTES)] * 4
    with pytest.raises(AttachmentRefused) as refused:
        check_attachments(files, LIMIT, 3)
    assert refused.value.problem == Problem.TOO_MANY
    with pytest.raises(AttachmentRefused) as refused:
        check_attachments([("a.pdf", PDF_BYTES), ("b.pdf", PNG_BYTES)], LIMIT, 3)
    assert (refused.value.problem, refused.value.filename) == (Problem.NAME_MISMATCH, "b.pdf")
    assert len(check_attachments(files[:3], LIMIT, 3)) == 3


def test_a_name_longer_than_120_characters_is_refused_and_one_of_120_is_not():
    assert check_attachment("C:\\skany\\" + "a" * 116 + ".pdf", PDF_BYTES, LIMIT).filename == "a" * 116 + ".pdf"
    assert refusal("a" * 117 + ".pdf", PDF_BYTES) == Problem.NAME_TOO_LONG


def test_no_more_files_than_the_erp_takes_even_when_more_are_allowed():
    assert len(check_attachments([("a.pdf", PDF_BYTES)] * 10, LIMIT, 20)) == 10
    with pytest.raises(AttachmentRefused) as refused:
        check_attachments([("a.pdf", PDF_BYTES)] * 11, LIMIT, 20)
    assert refused.value.problem == Problem.TOO_MANY


@pytest.mark.parametrize("name, stored", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\jan\\skan.pdf", "skan.pdf"),
    ("skan\r\nX-Header: 1.pdf", "skanX-Header: 1.pdf"),
    ("...pdf", "pdf.pdf"),
    ("...", "zalacznik.pdf"),
    (" .pdf", "zalacznik.pdf"),
    ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
])
def test_stored_names_are_safe_base_names(name, stored):
    assert stored_name(name, PDF) == stored


@given(st.binary(max_size=64))
def test_random_bytes_are_a_type_only_when_they_start_with_its_signature(content):
    for content_type, signature in SIGNATURES.items():
        assert (sniff(content) == content_type) == content.startswith(signature)


@given(st.binary(min_size=1, max_size=64), st.sampled_from(["a.pdf", "a.jpg", "a.jpeg", "a.png", "a"]))
def test_random_bytes_never_pass_unless_they_start_with_a_signature(content, name):
    try:
        attachment = check_attachment(name, content, LIMIT)
    except AttachmentRefused:
        return
    assert content.startswith(SIGNATURES[attachment.content_type])


@given(st.sampled_from(sorted(SIGNATURES.items())), st.binary(max_size=64))
def test_any_content_after_a_signature_passes_as_that_type(signature_item, tail):
    content_type, signature = signature_item
    name = {PDF: "x.pdf", JPEG: "x.jpg", PNG: "x.png"}[content_type]
    assert check_attachment(name, signature + tail, LIMIT).content_type == content_type
