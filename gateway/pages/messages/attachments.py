"""Message attachments checked by what their bytes are, never by the name or the browser's content type.

Plain functions over (name, bytes): no Flask request objects, so the rules are tested on their own.
"""

from __future__ import annotations

import enum
import posixpath
import re
from typing import Sequence

from adapters.core.records import Attachment
from gateway.web.files import MAX_NAME_LENGTH, safe_filename

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
# The first bytes every file of the type starts with (its "magic number").
SIGNATURES: dict[str, bytes] = {PDF: b"%PDF-", JPEG: b"\xff\xd8\xff", PNG: b"\x89PNG\r\n\x1a\n"}
# The name endings each type may have; the first is the one a renamed file gets.
NAME_ENDINGS: dict[str, tuple[str, ...]] = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
FALLBACK_NAME = "zalacznik"
# The ERP contract takes at most 10 files a message (adapters/contract: maxOccurs, maxItems), whatever is configured.
MAX_FILES_ERP_TAKES = 10


class Problem(enum.Enum):
    """Why a file was refused; the form turns each into a sentence for the customer."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_ALLOWED = "not_allowed"
    NAME_MISMATCH = "name_mismatch"
    TOO_MANY = "too_many"
    NAME_TOO_LONG = "name_too_long"


class AttachmentRefused(Exception):
    """Carries the problem and the customer's own file name, to say which file and why."""

    def __init__(self, problem: Problem, filename: str = "") -> None:
        super().__init__(problem, filename)
        self.problem = problem
        self.filename = filename


def sniff(content: bytes) -> str | None:
    """The content type the bytes themselves prove, or None when they are none of the accepted kinds."""
    for content_type, signature in SIGNATURES.items():
        if content.startswith(signature):
            return content_type
    return None


def base_name(filename: str) -> str:
    """The name without any folders a browser or a hand-made request put before it."""
    return re.split(r"[\\/]", filename)[-1]


def name_extension(filename: str) -> str:
    """The name's extension in lower case (".pdf"), or "" when the name has none."""
    return posixpath.splitext(base_name(filename))[1].lower()


def stored_name(filename: str, content_type: str) -> str:
    """A safe base name ending as the content says (".jpeg" becomes ".jpg", the one safe_filename expects)."""
    stem = base_name(filename)
    if name_extension(stem):
        stem = stem[: -len(name_extension(stem))]
    stem = safe_filename(stem, FALLBACK_NAME, "")
    return safe_filename(stem + NAME_ENDINGS[content_type][0], FALLBACK_NAME, content_type)


def check_attachment(filename: str, content: bytes, max_bytes: int) -> Attachment:
    """Accept a PDF, JPEG or PNG up to max_bytes whose name, if it has an extension, says the same type; a name the
    ERP and the customer's list would show cut is refused rather than cut unasked."""
    if len(base_name(filename)) > MAX_NAME_LENGTH:
        raise AttachmentRefused(Problem.NAME_TOO_LONG, filename)
    if not content:
        raise AttachmentRefused(Problem.EMPTY, filename)
    if len(content) > max_bytes:
        raise AttachmentRefused(Problem.TOO_LARGE, filename)
    content_type = sniff(content)
    if content_type is None:
        raise AttachmentRefused(Problem.NOT_ALLOWED, filename)
    extension = name_extension(filename)
    if extension and extension not in NAME_ENDINGS[content_type]:
        raise AttachmentRefused(Problem.NAME_MISMATCH, filename)
    return Attachment(stored_name(filename, content_type), content_type, content)


def check_attachments(files: Sequence[tuple[str, bytes]], max_bytes: int, max_files: int) -> tuple[Attachment, ...]:
    """All the files, or the first refusal: a message goes with every attachment the customer chose or not at all."""
    if len(files) > min(max_files, MAX_FILES_ERP_TAKES):
        raise AttachmentRefused(Problem.TOO_MANY)
    return tuple(check_attachment(name, content, max_bytes) for name, content in files)
