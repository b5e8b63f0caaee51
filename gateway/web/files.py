"""Handing ERP files to the browser: the right content type, a safe file name, inline or as a download."""

from __future__ import annotations

import io
import re
import unicodedata

from flask import Response, send_file

from adapters.core.records import FileContent

MAX_NAME_LENGTH = 120
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "text/csv": ".csv"}
# Never let a browser render what the ERP calls a document: these would run in the portal's origin.
ACTIVE_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/javascript", "application/javascript")


def safe_filename(name: str | None, fallback: str, content_type: str) -> str:
    """The base name only, without control characters or path tricks, ending as its type says."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"\s+", " ", base).strip(" .") or fallback
    extension = EXTENSIONS.get(content_type, "")
    if extension and not base.lower().endswith(extension):
        base += extension
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, ext = base.rpartition(".")
        base = stem[: MAX_NAME_LENGTH - len(ext) - 1] + dot + ext if dot else base[:MAX_NAME_LENGTH]
    return base


def send_erp_file(file: FileContent, fallback_name: str, inline: bool = False) -> Response:
    """A file from the ERP; anything a browser would execute is sent as a plain download of bytes."""
    content_type = file.content_type.split(";")[0].strip().lower() or "application/octet-stream"
    if content_type in ACTIVE_TYPES:
        content_type, inline = "application/octet-stream", False
    response = send_file(
        io.BytesIO(file.content),
        mimetype=content_type,
        as_attachment=not inline,
        download_name=safe_filename(file.filename, fallback_name, content_type),
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
