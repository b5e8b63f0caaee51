"""zeep for the portal: a WSDL (the bundled contract's, or a plugin's own) parsed once per process, behind a
transport that reaches nothing but the WSDL's own files; `soap_send` is the reference adapter's exchange, zeep
writing each request, ErpHttp sending it, and the reply read without zeep (adapters/soap/envelope.py)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Hashable, Mapping
from urllib.parse import unquote, urlparse

import requests
from lxml import etree
from zeep import Client, Plugin, Settings, Transport
from zeep import exceptions as zx
from zeep.wsse.username import UsernameToken

from adapters.core.errors import ErpBadResponse, ErpUnavailable
from adapters.core.operations import Operation
from adapters.core.settings import ErpSettings
from adapters.soap.envelope import NAMESPACE
from adapters.wire.http import ErpHttp, HttpReply

CONTRACT_DIR = Path(__file__).resolve().parent.parent / "contract"
WSDL_PATH = CONTRACT_DIR / "ibok-erp.wsdl"
# Every SOAP fault comes as 500, "not found" included; only a gateway's 502-504 says "try again".
SOAP_RETRY_STATUSES = frozenset({502, 503, 504})
# What zeep raises on parameters the contract's types cannot take.
_REQUEST_FAILURES = (zx.Error, ValueError, ArithmeticError, LookupError, TypeError)


class ErpTransport(Transport):
    """Loads only the WSDL's own files, and sends nothing: requests go through ErpHttp, bounded like REST's.

    A WSDL file may import files from its own folder (and below) only; a WSDL at a URL, documents of that URL's
    scheme and host only, fetched through ErpHttp. Nothing else reaches the disk or the network."""

    def __init__(self, settings: ErpSettings, wsdl: str | Path = WSDL_PATH) -> None:
        super().__init__(timeout=settings.connect_timeout, operation_timeout=settings.read_timeout)
        self.erp_settings = settings
        self.origin = _origin(str(wsdl)) if _is_url(str(wsdl)) else None
        self.root = None if self.origin else Path(wsdl).resolve().parent

    def load(self, url: str) -> bytes:
        """Refuse anything outside the WSDL's own folder or origin: an import must not roam."""
        if _is_url(url):
            if self.origin is None or _origin(url) != self.origin:
                raise zx.ExternalReferenceForbidden(url)
            return _fetched(self.erp_settings, url)
        parsed = urlparse(url)
        if parsed.scheme not in ("", "file") or self.root is None:
            raise zx.ExternalReferenceForbidden(url)
        path = Path(unquote(parsed.path) if parsed.scheme else url).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise zx.ExternalReferenceForbidden(url)
        return path.read_bytes()

    def post(self, address: str, message: Any, headers: Any) -> requests.Response:
        """Nothing may go out through zeep's own session."""
        raise zx.ExternalReferenceForbidden(address)

    def get(self, address: str, params: Any, headers: Any) -> requests.Response:
        """The contract has no HTTP GET binding; nothing may fetch through zeep's own session."""
        raise zx.ExternalReferenceForbidden(address)


def _is_url(location: str) -> bool:
    return urlparse(location).scheme in ("http", "https")


def _origin(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}".lower()


def _fetched(settings: ErpSettings, url: str) -> bytes:
    """A WSDL or XSD from the ERP, within the same limits and credentials as every call to it."""
    reply = ErpHttp(settings).send("wsdl", "GET", url, idempotent=True)
    if reply.status != 200:
        raise ErpUnavailable("wsdl", f"the WSDL could not be fetched (HTTP {reply.status})")
    return reply.content


def zeep_settings(forbid_external: bool = True) -> Settings:
    """Strict and closed: no DTD, no entities, no external fetches, libxml2's size limits kept. A WSDL on the ERP
    may import from its own host: ErpTransport.load holds those fetches to it."""
    return Settings(
        strict=True, xml_huge_tree=False, forbid_dtd=True, forbid_entities=True, forbid_external=forbid_external
    )


_CLIENTS: dict[Hashable, Client] = {}
_LOCK = threading.Lock()


def client_for(settings: ErpSettings, wsdl: str | Path = WSDL_PATH, *, transport: type[ErpTransport] = ErpTransport,
               plugins: tuple[Plugin, ...] = ()) -> Client:
    """Parse a WSDL once per process, settings and plugins, on first use (after the server forks)."""
    key = (settings, str(wsdl), transport, plugins)
    with _LOCK:
        client = _CLIENTS.get(key)
        if client is None:
            client = _CLIENTS[key] = _build_client(settings, wsdl, transport(settings, wsdl), plugins)
        return client


def _build_client(settings: ErpSettings, wsdl: str | Path = WSDL_PATH, transport: ErpTransport | None = None,
                  plugins: tuple[Plugin, ...] = ()) -> Client:
    transport = transport or ErpTransport(settings, wsdl)
    wsse = None
    if settings.wsse_username:
        wsse = UsernameToken(settings.wsse_username, settings.wsse_password or "")
    closed = zeep_settings(forbid_external=not _is_url(str(wsdl)))
    return Client(str(wsdl), transport=transport, settings=closed, wsse=wsse, plugins=list(plugins))


def soap_send(settings: ErpSettings, http: ErpHttp, operation: Operation, params: Mapping[str, Any]) -> HttpReply:
    """The request zeep writes, sent bounded: reads may be retried once, writes never."""
    client = client_for(settings)
    try:
        envelope = client.create_message(client.service, operation.soap, **params)
    except _REQUEST_FAILURES as error:
        raise ErpBadResponse(operation.name, f"the request does not fit the contract ({type(error).__name__})"
                             ) from None
    return http.send(
        operation.name,
        "POST",
        settings.url,
        idempotent=operation.read,
        retry_statuses=SOAP_RETRY_STATUSES,
        data=etree.tostring(envelope, xml_declaration=True, encoding="utf-8"),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NAMESPACE}#{operation.soap}"'},
    )
