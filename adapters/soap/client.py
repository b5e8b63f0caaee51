"""The one zeep client per process: the bundled WSDL, strict parsing, and every POST sent through ErpHttp."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlparse

import requests
from requests.structures import CaseInsensitiveDict
from zeep import Client, Plugin, Settings, Transport
from zeep.exceptions import ExternalReferenceForbidden, XMLParseError
from zeep.proxy import ServiceProxy
from zeep.wsse.username import UsernameToken

from adapters.core.errors import ErpBadResponse, ErpUnavailable
from adapters.core.settings import ErpSettings
from adapters.wire.http import ErpHttp, HttpReply

CONTRACT_DIR = Path(__file__).resolve().parent.parent / "contract"
WSDL_PATH = CONTRACT_DIR / "ibok-erp.wsdl"
NAMESPACE = "urn:ibok:erp:v1"
BINDING = f"{{{NAMESPACE}}}BillingBinding"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_CONTENT_TYPES = frozenset({"text/xml", "application/soap+xml", "application/xml"})


@dataclass(frozen=True)
class Call:
    """What the transport needs to know about the exchange in progress: zeep's post() is not told."""

    http: ErpHttp
    operation: str
    idempotent: bool


_CURRENT_CALL: ContextVar[Call | None] = ContextVar("ibok_soap_call", default=None)


@contextmanager
def calling(call: Call) -> Iterator[None]:
    """Make `call` the exchange the shared transport sends for, in this thread or task only."""
    token = _CURRENT_CALL.set(call)
    try:
        yield
    finally:
        _CURRENT_CALL.reset(token)


def check_reply(operation: str, reply: HttpReply) -> None:
    """Stop what is not a SOAP envelope before zeep parses it: proxies answer with HTML pages."""
    if reply.status in (401, 403):
        raise ErpUnavailable(operation, "credentials refused")
    if reply.content_type in SOAP_CONTENT_TYPES:
        return
    if reply.status >= 500:
        raise ErpUnavailable(operation, f"ERP answered HTTP {reply.status}")
    raise ErpBadResponse(operation, f"not a SOAP reply (HTTP {reply.status})")


def as_response(reply: HttpReply) -> requests.Response:
    """Dress a bounded reply as the requests.Response zeep's binding reads."""
    response = requests.Response()
    response.status_code = reply.status
    response.headers = CaseInsensitiveDict(reply.headers)
    response._content = reply.content
    return response


class ErpTransport(Transport):
    """Loads only the bundled contract and posts through ErpHttp, so SOAP and REST share one set of limits."""

    def __init__(self, settings: ErpSettings) -> None:
        super().__init__(timeout=settings.connect_timeout, operation_timeout=settings.read_timeout)

    def load(self, url: str) -> bytes:
        """Refuse anything but a file of the contract: an import must reach neither network nor disk."""
        parsed = urlparse(url)
        if parsed.scheme not in ("", "file"):
            raise ExternalReferenceForbidden(url)
        path = Path(unquote(parsed.path) if parsed.scheme else url).resolve()
        if path.parent != CONTRACT_DIR or not path.is_file():
            raise ExternalReferenceForbidden(url)
        return path.read_bytes()

    def post(self, address: str, message: Any, headers: dict[str, str]) -> requests.Response:
        """Send through the bounded ErpHttp of the call in progress; reads may be retried, writes never."""
        call = _CURRENT_CALL.get()
        if call is None:
            raise RuntimeError("SOAP call made outside SoapBilling")
        reply = call.http.send(
            call.operation,
            "POST",
            address,
            idempotent=call.idempotent,
            retry_statuses=SOAP_RETRY_STATUSES,
            data=message,
            headers=headers,
        )
        check_reply(call.operation, reply)
        return as_response(reply)

    def get(self, address: str, params: Any, headers: Any) -> requests.Response:
        """The contract has no HTTP GET binding; nothing may fetch through zeep's own session."""
        raise ExternalReferenceForbidden(address)


# Every SOAP fault comes as 500, "not found" included; only a gateway's 502-504 says "try again".
SOAP_RETRY_STATUSES = frozenset({502, 503, 504})


class ReplyElementCheck(Plugin):
    """zeep would read any element in the body as the reply (a wrong one as an empty list): insist on ours."""

    def ingress(self, envelope: Any, http_headers: Any, operation: Any) -> tuple[Any, Any]:
        body = envelope.find(f"{{{SOAP_ENV}}}Body")
        children = list(body) if body is not None else []
        allowed = (f"{{{NAMESPACE}}}{operation.name}Response", f"{{{SOAP_ENV}}}Fault")
        if len(children) != 1 or children[0].tag not in allowed:
            raise XMLParseError("the SOAP body does not hold this operation's reply")
        return envelope, http_headers


def zeep_settings() -> Settings:
    """Strict and closed: no DTD, no entities, no external fetches, libxml2's size limits kept."""
    return Settings(
        strict=True, xml_huge_tree=False, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )


_SERVICES: dict[ErpSettings, ServiceProxy] = {}
_LOCK = threading.Lock()


def service_for(settings: ErpSettings) -> ServiceProxy:
    """Parse the WSDL once per process and settings, on first use (after the server forks)."""
    with _LOCK:
        service = _SERVICES.get(settings)
        if service is None:
            service = _SERVICES[settings] = _build_service(settings)
        return service


def _build_service(settings: ErpSettings) -> ServiceProxy:
    wsse = None
    if settings.wsse_username:
        wsse = UsernameToken(settings.wsse_username, settings.wsse_password or "")
    client = Client(
        str(WSDL_PATH), transport=ErpTransport(settings), settings=zeep_settings(), wsse=wsse,
        plugins=[ReplyElementCheck()],
    )
    return client.create_service(BINDING, settings.url)
