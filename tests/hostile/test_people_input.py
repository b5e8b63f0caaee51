"""Input built to hurt: uploads too large or not what their names say, path tricks in ids and file names
(../, %2e%2e, encoded slashes, NUL), 1,001 form parts and megabyte fields. Each is refused with a Polish
page (400, 404 or 413), never a 500; nothing reaches the ERP or the outbox; no file of the server shows."""

from __future__ import annotations

import io
import logging
import uuid

import pytest
from sqlalchemy import select

from gateway.db.database import db
from gateway.outbox.model import OutboxItem
from tests.hostile.checks import assert_safe, timed
from tests.modules.test_message_attachments import JPEG_BYTES, PDF_BYTES, PNG_BYTES

FILE_CONTENT = ("root:x:0:0", "def create_app", "SECRET_KEY", "insecure-default-key", "[metadata]")
POLISH_TOO_LARGE = ("Zbyt duży rozmiar", "Zbyt duże załączniki")
MB = 1024 * 1024
# Werkzeug's test client closes a large request's temporary file with the response only on this path.
CLOSES_INPUT = {"follow_redirects": True}


def message(**fields):
    return {"kind": "complaint", "subject": "Temat", "body": "Treść", "idempotency_key": str(uuid.uuid4()),
            **fields}


def nothing_kept(app, billing, deliver) -> None:
    deliver()
    with app.app_context():
        assert not list(db().scalars(select(OutboxItem)))
    assert not [call for call in billing.calls if call[0] == "send_message"]


def post_files(client, files, **fields):
    data = message(**fields, attachments=[(io.BytesIO(content), name) for name, content in files])
    return timed(client.post, "/messages/new", data=data, content_type="multipart/form-data", **CLOSES_INPUT)


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("faktura.pdf", PNG_BYTES, "nie zgadza się"),
    ("zdjecie.jpg", b"<html><script>alert(1)</script></html>", "nie jest plikiem PDF"),
    ("rysunek.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "nie jest plikiem PDF"),
    ("skan.pdf.exe", PDF_BYTES, "nie zgadza się"),
    ("program.pdf", b"MZ\x90\x00" + b"\x00" * 60, "nie jest plikiem PDF"),
    ("obraz.png", JPEG_BYTES, "nie zgadza się"),
    ("pusty.pdf", b"", "jest pusty"),
])
def test_a_file_whose_content_does_not_match_its_name_is_refused(app, kowalski, billing, deliver, logs, name,
                                                                 content, problem):
    result = post_files(kowalski, [(name, content)])
    assert_safe(result, logs, statuses=(400,), log_level=logging.WARNING, never=("<script>alert", "<svg"))
    assert problem in result.page
    nothing_kept(app, billing, deliver)


def test_a_file_over_the_attachment_limit_is_refused_with_the_form(app, kowalski, billing, deliver, logs):
    result = post_files(kowalski, [("duzy.pdf", PDF_BYTES + b"\x00" * (3 * MB))])
    assert_safe(result, logs, statuses=(400,), log_level=logging.WARNING)
    assert "jest większy niż" in result.page
    nothing_kept(app, billing, deliver)


def test_files_over_the_request_limit_are_a_polish_413(app, kowalski, billing, deliver, logs):
    files = [(f"plik{n}.pdf", PDF_BYTES + b"\x00" * (3 * MB)) for n in range(4)]
    result = post_files(kowalski, files)
    assert_safe(result, logs, statuses=(413,), log_level=logging.WARNING)
    assert "Zbyt duże załączniki" in result.page
    nothing_kept(app, billing, deliver)


def test_a_huge_body_on_any_form_is_a_polish_413(app, kowalski, logs):
    for url in ("/readings/W-1001-2", "/settings/password", "/sign-in", "/password-reset", "/language"):
        client = app.test_client() if url in ("/sign-in", "/password-reset") else kowalski
        result = timed(client.post, url, data={"value": "1" * (11 * MB)}, **CLOSES_INPUT)
        assert_safe(result, logs, statuses=(413,), log_level=logging.WARNING)
        assert any(text in result.page for text in POLISH_TOO_LARGE), url


def test_an_attachment_named_with_path_tricks_reaches_the_erp_as_a_bare_name(app, kowalski, billing, deliver, logs):
    names = ["../../../etc/passwd.pdf", "..\\..\\windows\\win.ini.jpg", "a\x00b.png"]
    contents = [PDF_BYTES, JPEG_BYTES, PNG_BYTES]
    result = post_files(kowalski, list(zip(names, contents)))
    assert_safe(result, logs, statuses=(200,))
    deliver()
    stored = [attachment.filename for call in billing.calls if call[0] == "send_message"
              for attachment in call[1][1].attachments]
    assert len(stored) == 3
    assert not [name for name in stored if "/" in name or "\\" in name or "\x00" in name or ".." in name]


PATH_TRICKS = ["..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%5c..%5cwin.ini",
               "DOC-1001-1%00", "DOC-1001-1%2500", "%00", "DOC-1001-1%2f..%2f..%2fDOC-1002-1", "%252e%252e%252f",
               "....//....//etc/passwd", "DOC-1001-1;.pdf", "DOC-1001-1%0d%0aSet-Cookie:x=1", "x" * 300]


@pytest.mark.parametrize("route", ["/downloads/{}", "/invoices/{}/download", "/contracts/{}/scan/download",
                                   "/readings/{}/readings.csv", "/messages/{}", "/terms/{}", "/static/{}"])
def test_path_tricks_in_ids_and_file_names_find_nothing(kowalski, billing, logs, route):
    for trick in PATH_TRICKS:
        result = timed(kowalski.get, route.format(trick))
        assert_safe(result, logs, statuses=(400, 404, 308), never=FILE_CONTENT)
        assert "Set-Cookie: x" not in str(result.response.headers), trick
    asked = {str(arg) for _operation, args in billing.calls for arg in args[1:]}
    assert not [value for value in asked if "/" in value or ".." in value or "\x00" in value]


def test_1001_form_parts_are_a_polish_413(app, kowalski, billing, deliver, logs):
    fields = {f"field{n}": "x" for n in range(1001)}
    result = timed(kowalski.post, "/messages/new", data=message(**fields), content_type="multipart/form-data",
                   **CLOSES_INPUT)
    assert_safe(result, logs, statuses=(413,), log_level=logging.WARNING)
    assert any(text in result.page for text in POLISH_TOO_LARGE)
    nothing_kept(app, billing, deliver)


@pytest.mark.parametrize("url", ["/sign-in", "/readings/W-1001-2", "/settings/password", "/password-reset"])
def test_1001_urlencoded_fields_are_no_500(kowalski, logs, url):
    result = timed(kowalski.post, url, data={f"field{n}": "x" for n in range(1001)})
    assert_safe(result, logs, statuses=(200, 302, 400, 413))


@pytest.mark.parametrize("content_type", ["multipart/form-data", "application/x-www-form-urlencoded"])
@pytest.mark.parametrize(("url", "field"), [("/messages/new", "body"), ("/messages/new", "subject"),
                                            ("/sign-in", "password"), ("/sign-in", "login"),
                                            ("/readings/W-1001-2", "note"), ("/settings/password", "new_password"),
                                            ("/password-reset", "login_or_email")])
def test_a_megabyte_field_is_a_polish_413_or_400(app, kowalski, billing, deliver, logs, url, field, content_type):
    data = {**message(), "login": "kowalski", "password": "x", field: "ż" + "x" * MB}
    client = app.test_client() if url in ("/sign-in", "/password-reset") else kowalski
    result = timed(client.post, url, data=data, content_type=content_type, **CLOSES_INPUT)
    assert_safe(result, logs, statuses=(400, 413), log_level=logging.WARNING)
    assert '<html lang="pl">' in result.page
    nothing_kept(app, billing, deliver)
