"""zeep's and lxml's exceptions mapped onto ErpError: faults by detail code, transport trouble by status.

Messages never quote the reply or the address: they reach logs and error pages.
"""

from __future__ import annotations

import logging
import re

from lxml import etree
from zeep import exceptions as zx

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpRejected, ErpUnavailable
from adapters.core.port import WRITE_OPERATIONS

log = logging.getLogger(__name__)

MAX_REASON_CHARS = 500
FALLBACK_REASON = "System rozliczeniowy odrzucił operację."
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
# zeep names the element it expected or did not expect; only a bare name is ever repeated.
_EXPECTED = re.compile(r"expected '(?:\{[^}]*\})?(\w{1,64})'")
_UNEXPECTED = re.compile(r"Unexpected element '(?:\{[^}]*\})?(\w{1,64})'")

# What the SOAP exchange may raise besides ErpError: zeep's own errors, libxml2's, and the
# ValueError / decimal.InvalidOperation zeep lets through when a value does not parse, and the
# lookup and type errors its internals raise on replies shaped in ways nobody foresaw.
ZEEP_FAILURES: tuple[type[Exception], ...] = (
    zx.Error, etree.LxmlError, ValueError, ArithmeticError, LookupError, TypeError, AttributeError
)


def map_failure(operation: str, error: Exception) -> ErpError:
    """The one ErpError the portal shows for whatever the SOAP exchange raised."""
    if isinstance(error, zx.Fault):
        return from_fault(operation, error)
    if isinstance(error, zx.TransportError):
        return from_status(operation, error.status_code)
    if isinstance(error, (zx.DTDForbidden, zx.EntitiesForbidden, zx.ExternalReferenceForbidden)):
        return ErpBadResponse(operation, "reply declares a DTD, entities or external references")
    if isinstance(error, zx.XMLParseError):
        return ErpBadResponse(operation, "reply does not match the contract", field=_element_name(error))
    if isinstance(error, (zx.XMLSyntaxError, etree.LxmlError)):
        return ErpBadResponse(operation, "reply is not well-formed XML")
    if isinstance(error, (ValueError, ArithmeticError)):
        return ErpBadResponse(operation, "reply holds a value of the wrong type")
    log.warning("unforeseen SOAP failure", exc_info=error)
    return ErpBadResponse(operation, f"SOAP exchange failed ({type(error).__name__})")


def _element_name(error: zx.XMLParseError) -> str | None:
    """The element zeep stumbled on, so the error names a field as the schemas' errors do."""
    text = str(error.message)
    match = _EXPECTED.search(text) or _UNEXPECTED.search(text)
    return match.group(1) if match else None


def from_status(operation: str, status: int) -> ErpError:
    """zeep raises TransportError for an empty non-200 reply and for unparsable XML (then with status 200)."""
    if status in (401, 403):
        return ErpUnavailable(operation, "credentials refused")
    if status >= 500:
        return ErpUnavailable(operation, f"ERP answered HTTP {status}")
    if status < 300:
        return ErpBadResponse(operation, "reply is not well-formed XML")
    return ErpBadResponse(operation, f"unusable SOAP reply (HTTP {status})")


def from_fault(operation: str, fault: zx.Fault) -> ErpError:
    """soap:Client faults carry an ErpFault code; soap:Server ones and any others mean 'try later'."""
    if _fault_side(fault.code) != "Client":
        return ErpUnavailable(operation, "ERP reported a server fault")
    code, detail_message = fault_detail(fault.detail)
    if code == "NOT_FOUND":
        return ErpNotFound(operation, "no such object for this customer")
    if code == "REJECTED" or (code == "INVALID" and operation in WRITE_OPERATIONS):
        return ErpRejected(operation, _reason(detail_message or fault.message), code=code)
    if code == "INVALID":
        return ErpBadResponse(operation, "ERP refused the request as invalid")
    return ErpUnavailable(operation, "ERP reported a fault without a known code")


def _reason(text: str | None) -> str:
    """The ERP's words go to the customer: one line, bounded, never empty."""
    reason = " ".join(_CONTROL_CHARS.sub(" ", text or "").split())[:MAX_REASON_CHARS]
    return reason or FALLBACK_REASON


def fault_detail(detail: object) -> tuple[str | None, str | None]:
    """Read <detail><ErpFault><code/><message/></ErpFault></detail>; anything else has no code."""
    if not isinstance(detail, etree._Element):
        return None, None
    node = detail.find("{*}ErpFault")
    if node is None:
        return None, None
    code = (node.findtext("{*}code") or "").strip() or None
    return code, node.findtext("{*}message")


def _fault_side(code: str | None) -> str:
    """'soap:Client', 'SOAP-ENV:Client.Auth' → 'Client': the prefix depends on the sender."""
    return (code or "").rpartition(":")[2].split(".")[0]
