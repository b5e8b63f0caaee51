"""The media type a file from the ERP may have, checked the same way for both protocols."""

from __future__ import annotations

import re
from typing import NoReturn

from adapters.core.errors import ErpBadResponse

JSON_TYPE = "application/json"
# A document download must never be something a browser would run or render as a page.
REFUSED_FILE_TYPES = frozenset(
    {
        JSON_TYPE,
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/javascript",
        "application/javascript",
    }
)
MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")


def bare_media_type(declared: str) -> str:
    """The type without parameters, in lower case: "Application/PDF; name=x" is "application/pdf"."""
    return declared.split(";")[0].strip().lower()


def check_file_type(operation: str, found: str, expected: str | None) -> None:
    """The contract's one type where it names one (invoices and contract scans are PDF); else any type a
    browser would not run."""
    if expected is not None and found != expected:
        wrong_type(operation, expected, found)
    if not MEDIA_TYPE.match(found) or found in REFUSED_FILE_TYPES:
        wrong_type(operation, "a downloadable file", found)


def wrong_type(operation: str, expected: str, found: str) -> NoReturn:
    shown = found if MEDIA_TYPE.match(found) else "an unrecognised type"
    raise ErpBadResponse(operation, f"expected {expected}, got {shown or 'no content type'}")
