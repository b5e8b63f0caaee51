"""Turning the REST ERP's HTTP replies into plain payloads, or into the typed ERP errors.

Nothing here is trusted: the status decides the error class, the Content-Type must be the one the
contract names (an HTML login page with status 200 is not an invoice), JSON numbers become Decimal,
and the file name a reply offers is cut down to a bare name. Messages never quote URLs or hosts.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from email.message import Message
from email.utils import collapse_rfc2231_value
from typing import Any, NoReturn

from requests.structures import CaseInsensitiveDict

from adapters.core.errors import ErpBadResponse
from adapters.wire.files import JSON_TYPE, bare_media_type, check_file_type, wrong_type
from adapters.wire.http import HttpReply
from adapters.wire.statuses import error_for_status

PDF_TYPE = "application/pdf"
UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
MAX_NAME_CHARS = 255


def media_type(reply: HttpReply) -> str:
    """The bare media type, whatever case the server (or a proxy) gave the header name."""
    return bare_media_type(str(CaseInsensitiveDict(reply.headers).get("Content-Type") or ""))


def check_status(operation: str, reply: HttpReply) -> None:
    """Map every status but 2xx onto the ERP error classes; the portal never follows redirects."""
    reason, code = _refusal(reply) if reply.status >= 300 else (None, None)
    error = error_for_status(operation, reply.status, reason=reason, code=code)
    if error is not None:
        raise error


def json_payload(operation: str, reply: HttpReply) -> Any:
    """The reply's JSON, with every non-integer number as Decimal so no float touches money."""
    check_status(operation, reply)
    found = media_type(reply)
    if found != JSON_TYPE:
        wrong_type(operation, JSON_TYPE, found)
    return _parse_json(operation, reply.content)


def file_payload(operation: str, reply: HttpReply, fallback: str, expected: str | None) -> dict[str, Any]:
    """A file reply as the wire dict FileContentSchema loads; expected None takes the declared type."""
    check_status(operation, reply)
    found = media_type(reply)
    check_file_type(operation, found, expected)
    disposition = CaseInsensitiveDict(reply.headers).get("Content-Disposition")
    return {
        "fileName": safe_filename(disposition, fallback),
        "contentType": found,
        "content": reply.content,
    }


def safe_filename(disposition: str | None, fallback: str) -> str:
    """Only the last path component of the offered name, without control or shell-hostile characters."""
    name = _offered_name(disposition)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    if not name:
        name = UNSAFE_NAME_CHARS.sub("_", fallback.replace("/", "_").replace("\\", "_"))
    return name[-MAX_NAME_CHARS:]


def _offered_name(disposition: str | None) -> str:
    """RFC 6266: an encoded filename* (Polish letters) wins over the plain ASCII filename."""
    if not disposition:
        return ""
    header = Message()
    header["Content-Disposition"] = disposition
    names = [value for key, value in header.get_params([], header="content-disposition") if key == "filename"]
    names.sort(key=lambda value: not isinstance(value, tuple))
    try:
        return collapse_rfc2231_value(names[0]) if names else ""
    except (ValueError, LookupError):
        return ""


def _parse_json(operation: str, content: bytes) -> Any:
    try:
        return json.loads(content, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise ErpBadResponse(operation, "reply is not valid JSON") from None


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number the contract allows")


def _refusal(reply: HttpReply) -> tuple[object, object]:
    """The ERP's own words and code from an error body; an unreadable body still means the write was refused."""
    try:
        error = json.loads(reply.content).get("error")
    except (ValueError, RecursionError, AttributeError):
        return None, None
    return (error.get("message"), error.get("code")) if isinstance(error, dict) else (None, None)
