"""SoapService: any ERP's WSDL through zeep, sent by ErpHttp within its limits, faults mapped by the plugin's hook."""

from __future__ import annotations

import contextvars
import copy
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import requests
from lxml import etree
from requests.structures import CaseInsensitiveDict
from zeep import Plugin
from zeep import exceptions as zx
from zeep.helpers import serialize_object

from adapters.core.errors import ErpBadResponse, ErpError, ErpRejected, ErpUnavailable
from adapters.core.settings import ErpSettings
from adapters.soap.client import SOAP_RETRY_STATUSES, ErpTransport, client_for
from adapters.wire.http import ErpHttp, HttpReply
from adapters.wire.statuses import error_for_status, sanitise_reason

# Statuses zeep reads itself: a reply, a one-way acknowledgement, or a fault (SOAP sends faults as 500).
SOAP_STATUSES = frozenset({200, 202, 500})
# The exchange zeep is sending now: which ErpHttp, for which port operation, retried if a read.
_exchange: contextvars.ContextVar[tuple[ErpHttp, str, bool] | None] = contextvars.ContextVar(
    "ibok_soap_exchange", default=None
)


@dataclass(frozen=True)
class SoapFault:
    """A fault as the ERP sent it: what a plugin's fault hook turns into a typed error."""

    code: str  # as sent, e.g. "soap:Client" or "s:Sender"
    message: str
    detail: etree._Element | None = None

    @property
    def side(self) -> str:
        """'soap:Client', 'SOAP-ENV:Client.Auth' → 'Client'; SOAP 1.2 says 'Sender' or 'Receiver'."""
        return self.code.strip().rpartition(":")[2].split(".")[0]


FaultHook = Callable[[str, SoapFault], "ErpError | None"]
HeaderBuilder = Callable[[], Sequence[etree._Element]]


def default_fault_error(operation: str, fault: SoapFault, write: bool) -> ErpError:
    """Without a plugin's word: the server's side means "try later", a refused write carries the ERP's reason."""
    if fault.side in ("Server", "Receiver"):
        return ErpUnavailable(operation, "ERP reported a server fault")
    if write:
        return ErpRejected(operation, sanitise_reason(fault.message), code="REJECTED")
    return ErpBadResponse(operation, "ERP refused the request")


class SendingTransport(ErpTransport):
    """Sends zeep's envelope through the ErpHttp of the running call, so SOAP shares REST's limits and deadline."""

    def post_xml(self, address: str, envelope: etree._Element, headers: Any) -> requests.Response:
        """zeep's documented hook for sending; a status that is neither a reply nor a fault is mapped here."""
        running = _exchange.get()
        if running is None:
            raise zx.ExternalReferenceForbidden(address)
        http, operation, idempotent = running
        body = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
        reply = http.send(operation, "POST", address, idempotent=idempotent, retry_statuses=SOAP_RETRY_STATUSES,
                          data=body, headers=dict(headers))
        error = None if reply.status in SOAP_STATUSES else error_for_status(operation, reply.status, soap=True)
        if error is not None:
            raise error
        return _as_response(address, reply)


def _as_response(address: str, reply: HttpReply) -> requests.Response:
    """The bounded reply in the shape zeep reads, through requests' public attributes."""
    response = requests.Response()
    response.status_code = reply.status
    response.headers = CaseInsensitiveDict(reply.headers)
    response.raw = io.BytesIO(reply.content)
    response.url = address
    return response


@dataclass(frozen=True)
class HeaderPlugin(Plugin):
    """Adds the plugin-built SOAP header elements to every request (a session id, the ERP's own credentials)."""

    build: HeaderBuilder

    def egress(self, envelope: etree._Element, http_headers: Any, operation: Any, binding_options: Any) -> Any:
        namespace = etree.QName(envelope).namespace
        header = envelope.find(f"{{{namespace}}}Header")
        if header is None:
            header = etree.Element(f"{{{namespace}}}Header")
            envelope.insert(0, header)
        for element in self.build():
            header.append(copy.deepcopy(element))
        return envelope, http_headers


class SoapService:
    """One ERP SOAP service: its WSDL (a file, whose folder holds its imports, or a URL on the ERP) parsed once
    per process, every request sent to `settings.url`, replies as plain dicts, faults through `faults`."""

    def __init__(self, settings: ErpSettings, wsdl: str | Path, *, http: ErpHttp | None = None,
                 binding: str | None = None, faults: FaultHook | None = None,
                 headers: HeaderBuilder | None = None) -> None:
        self.settings = settings
        self.wsdl = wsdl
        self.http = http or ErpHttp(settings)
        self.binding = binding
        self.faults = faults
        self.plugins: tuple[Plugin, ...] = (HeaderPlugin(headers),) if headers else ()
        self._service: Any = None

    def call(self, operation: str, soap_operation: str, *, write: bool = False, **params: Any) -> Any:
        """Run `soap_operation` for the port operation `operation`: reads retried once, writes never."""
        token = _exchange.set((self.http, operation, not write))
        try:
            with self.http.deadline():
                result = getattr(self.service(), soap_operation)(**params)
        except ErpError:
            raise
        except zx.Fault as fault:
            raise self._fault_error(operation, write, fault) from None
        except zx.TransportError as error:
            raise error_for_status(operation, error.status_code, soap=True) or ErpBadResponse(
                operation, "not a SOAP reply") from None
        except (zx.Error, AttributeError, ValueError, TypeError, LookupError, ArithmeticError) as error:
            raise ErpBadResponse(operation, f"the request or reply does not fit the WSDL ({type(error).__name__})"
                                 ) from None
        finally:
            _exchange.reset(token)
        return serialize_object(result, dict)

    def service(self) -> Any:
        """zeep's service proxy for the binding, pointed at the configured address whatever the WSDL says."""
        if self._service is None:
            client = client_for(self.settings, self.wsdl, transport=SendingTransport, plugins=self.plugins)
            binding = self.binding or next(iter(client.wsdl.bindings))
            self._service = client.create_service(binding, self.settings.url)
        return self._service

    def _fault_error(self, operation: str, write: bool, fault: zx.Fault) -> ErpError:
        found = SoapFault(str(fault.code or ""), str(fault.message or ""), fault.detail)
        mapped = self.faults(operation, found) if self.faults else None
        return mapped or default_fault_error(operation, found, write)
