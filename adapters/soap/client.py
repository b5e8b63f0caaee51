"""The one module that works zeep, behind `soap_exchange`: the bundled WSDL parsed once per process, zeep
writing each request, ErpHttp sending it, and the reply read without zeep (adapters/soap/envelope.py)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import unquote, urlparse

import requests
from lxml import etree
from zeep import Client, Settings, Transport
from zeep import exceptions as zx
from zeep.wsse.username import UsernameToken

from adapters.core.errors import ErpBadResponse
from adapters.core.operations import Operation
from adapters.core.settings import ErpSettings
from adapters.soap.envelope import NAMESPACE, reply_element
from adapters.wire.http import ErpHttp

CONTRACT_DIR = Path(__file__).resolve().parent.parent / "contract"
WSDL_PATH = CONTRACT_DIR / "ibok-erp.wsdl"
# Every SOAP fault comes as 500, "not found" included; only a gateway's 502-504 says "try again".
SOAP_RETRY_STATUSES = frozenset({502, 503, 504})
# What zeep raises on parameters the contract's types cannot take.
_REQUEST_FAILURES = (zx.Error, ValueError, ArithmeticError, LookupError, TypeError)


class ErpTransport(Transport):
    """Loads only the bundled contract, and sends nothing: requests go through ErpHttp, bounded like REST's."""

    def __init__(self, settings: ErpSettings) -> None:
        super().__init__(timeout=settings.connect_timeout, operation_timeout=settings.read_timeout)

    def load(self, url: str) -> bytes:
        """Refuse anything but a file of the contract: an import must reach neither network nor disk."""
        parsed = urlparse(url)
        if parsed.scheme not in ("", "file"):
            raise zx.ExternalReferenceForbidden(url)
        path = Path(unquote(parsed.path) if parsed.scheme else url).resolve()
        if path.parent != CONTRACT_DIR or not path.is_file():
            raise zx.ExternalReferenceForbidden(url)
        return path.read_bytes()

    def post(self, address: str, message: Any, headers: Any) -> requests.Response:
        """Nothing may go out through zeep's own session."""
        raise zx.ExternalReferenceForbidden(address)

    def get(self, address: str, params: Any, headers: Any) -> requests.Response:
        """The contract has no HTTP GET binding; nothing may fetch through zeep's own session."""
        raise zx.ExternalReferenceForbidden(address)


def zeep_settings() -> Settings:
    """Strict and closed: no DTD, no entities, no external fetches, libxml2's size limits kept."""
    return Settings(
        strict=True, xml_huge_tree=False, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )


_CLIENTS: dict[ErpSettings, Client] = {}
_LOCK = threading.Lock()


def client_for(settings: ErpSettings) -> Client:
    """Parse the WSDL once per process and settings, on first use (after the server forks)."""
    with _LOCK:
        client = _CLIENTS.get(settings)
        if client is None:
            client = _CLIENTS[settings] = _build_client(settings)
        return client


def _build_client(settings: ErpSettings) -> Client:
    wsse = None
    if settings.wsse_username:
        wsse = UsernameToken(settings.wsse_username, settings.wsse_password or "")
    return Client(str(WSDL_PATH), transport=ErpTransport(settings), settings=zeep_settings(), wsse=wsse)


def soap_exchange(settings: ErpSettings, http: ErpHttp, operation: Operation, params: Mapping[str, Any]
                  ) -> etree._Element:
    """One bounded SOAP exchange: the reply's <{operation}Response>; anything else leaves as an ErpError.
    Reads may be retried once, writes never."""
    client = client_for(settings)
    try:
        envelope = client.create_message(client.service, operation.soap, **params)
    except _REQUEST_FAILURES as error:
        raise ErpBadResponse(operation.name, f"the request does not fit the contract ({type(error).__name__})"
                             ) from None
    reply = http.send(
        operation.name,
        "POST",
        settings.url,
        idempotent=operation.read,
        retry_statuses=SOAP_RETRY_STATUSES,
        data=etree.tostring(envelope, xml_declaration=True, encoding="utf-8"),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NAMESPACE}#{operation.soap}"'},
    )
    return reply_element(operation, reply)
