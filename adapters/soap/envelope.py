"""A SOAP 1.1 reply opened without zeep: a closed parser, the body's one element, and faults mapped to ErpError.

The parser forbids DTDs, entities and the network and keeps libxml2's size and depth limits; a document that
declares a DOCTYPE is refused outright. Messages never quote the reply or the address: they reach logs and error
pages.
"""

from __future__ import annotations

from lxml import etree

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpRejected, ErpUnavailable
from adapters.core.operations import Operation
from adapters.wire.http import HttpReply
from adapters.wire.statuses import STATUSES, error_for_status, sanitise_reason

NAMESPACE = "urn:ibok:erp:v1"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_CONTENT_TYPES = frozenset({"text/xml", "application/soap+xml", "application/xml"})
NOT_WELL_FORMED = "reply is not well-formed XML"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def reply_element(operation: Operation, reply: HttpReply) -> etree._Element:
    """The body's <{soap}Response> of a good reply; for any other reply the ErpError it means."""
    name = operation.name
    rule = STATUSES.get(reply.status)
    if reply.content_type not in SOAP_CONTENT_TYPES or not reply.content or (rule and not rule.rest_only):
        # A proxy's HTML page, nothing at all, or refused credentials: the status alone says what happened.
        raise error_for_status(name, reply.status, soap=True) or ErpBadResponse(name, _shapeless(reply))
    element = _body_element(name, reply)
    if element.tag == f"{{{SOAP_ENV}}}Fault":
        raise fault_error(operation, element)
    if reply.status != 200:
        raise ErpUnavailable(name, "ERP reported a server fault")
    if element.tag != f"{{{NAMESPACE}}}{operation.soap}Response":
        raise ErpBadResponse(name, "reply does not match the contract")
    return element


def _shapeless(reply: HttpReply) -> str:
    return NOT_WELL_FORMED if reply.content_type in SOAP_CONTENT_TYPES else f"not a SOAP reply (HTTP {reply.status})"


def _body_element(name: str, reply: HttpReply) -> etree._Element:
    try:
        root = etree.fromstring(reply.content, parser=_parser())
    except etree.XMLSyntaxError:
        raise error_for_status(name, reply.status, soap=True) or ErpBadResponse(name, NOT_WELL_FORMED) from None
    if root.getroottree().docinfo.doctype:
        raise ErpBadResponse(name, "reply declares a DTD, entities or external references")
    body = root.find(f"{{{SOAP_ENV}}}Body") if root.tag == f"{{{SOAP_ENV}}}Envelope" else None
    children = [child for child in body if isinstance(child.tag, str)] if body is not None else []
    if len(children) != 1:
        raise ErpBadResponse(name, "reply does not match the contract")
    return children[0]


def fault_error(operation: Operation, fault: etree._Element) -> ErpError:
    """soap:Client faults carry an ErpFault code; soap:Server ones and any others mean 'try later'."""
    name = operation.name
    if _fault_side(fault.findtext("faultcode")) != "Client":
        return ErpUnavailable(name, "ERP reported a server fault")
    detail = fault.find("detail/{*}ErpFault")
    code = (detail.findtext("{*}code") or "").strip() if detail is not None else ""
    if code == "NOT_FOUND":
        return ErpNotFound(name, "no such object for this customer")
    if code == "REJECTED" or (code == "INVALID" and operation.write):
        message = detail.findtext("{*}message") if detail is not None else None
        return ErpRejected(name, sanitise_reason(message or fault.findtext("faultstring")), code=code)
    if code == "INVALID":
        return ErpBadResponse(name, "ERP refused the request as invalid")
    return ErpUnavailable(name, "ERP reported a fault without a known code")


def _fault_side(code: str | None) -> str:
    """'soap:Client', 'SOAP-ENV:Client.Auth' → 'Client': the prefix depends on the sender."""
    return (code or "").strip().rpartition(":")[2].split(".")[0]
