"""Handing ERP files to the browser: the right content type, a safe file name, inline or as a download."""

from __future__ import annotations

import io
import re
import unicodedata

from flask import Response, send_file

from adapters.core.records import FileContent

MAX_NAME_LENGTH = 120
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "text/csv": ".csv"}
# The only types of ERP file a browser is given as they are: anything else (HTML, SVG, script, XML, a type
# nobody foresaw) could run or render in the portal's origin, so it goes out as bytes to save.
SHOWN_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
BYTES = "application/octet-stream"


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
    """A file from the ERP: PDF, PNG and JPEG as they are (inline if asked); anything else a download of bytes."""
    content_type = file.content_type.split(";")[0].strip().lower()
    if content_type not in SHOWN_TYPES:
        content_type, inline = BYTES, False
    return send_download(file.content, safe_filename(file.filename, fallback_name, content_type), content_type,
                         inline)


def send_download(content: bytes, name: str, content_type: str, inline: bool = False) -> Response:
    """Bytes the portal vouches for (its own exports, or an ERP file already checked), never kept by a cache."""
    response = send_file(io.BytesIO(content), mimetype=content_type, as_attachment=not inline, download_name=name,
                         max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
