"""SoapBilling: the billing port over the ERP's SOAP contract (adapters/contract), through zeep.

zeep writes every request (adapters/soap/client.py); a good reply is read straight into a plain dict
(adapters/soap/reply.py) and goes through the same marshmallow schemas as the REST adapter's JSON, so the two
protocols cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from adapters.core.operations import OPERATIONS, Operation
from adapters.core.port import BillingPort
from adapters.core.settings import ErpSettings
from adapters.soap.client import soap_send
from adapters.soap.envelope import reply_element
from adapters.soap.reply import read_list, read_object
from adapters.wire import payloads
from adapters.wire.files import bare_media_type, check_file_type
from adapters.wire.http import ErpHttp, HttpReply
from adapters.wire.memo import REPLY_MEMO
from adapters.wire.schemas import REPLIES

# The WSDL's operation names by port operation (bench/figures.py posts envelopes by them).
SOAP_OPERATIONS: dict[str, str] = {name: operation.soap for name, operation in OPERATIONS.items()}


class SoapBilling(BillingPort):
    """Cheap to build per request: the zeep client behind it is parsed once per process and settings."""

    def __init__(self, settings: ErpSettings, *, http: ErpHttp | None = None) -> None:
        self.settings = settings
        self.http = http or ErpHttp(settings)

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        """Attachments travel as raw bytes; zeep encodes them as xs:base64Binary. One deadline per operation."""
        spec = OPERATIONS[operation]
        params = payloads.request_params(spec, customer_id, args)
        with self.http.deadline():
            reply = soap_send(self.settings, self.http, spec, params)
        if spec.write or spec.file is not None:
            return _records(spec, reply)
        return REPLY_MEMO.load((customer_id, operation, *args), reply, lambda: _records(spec, reply))


def _records(spec: Operation, http_reply: HttpReply) -> Any:
    element = reply_element(spec, http_reply)
    reply = REPLIES[spec.name]
    if reply.key is None:
        return reply.load(spec.name, _file_checked(spec, read_object(spec.name, element, reply.schema)))
    return reply.load(spec.name, read_list(spec.name, element, reply.schema, reply.key))


def _file_checked(spec: Operation, plain: dict[str, Any]) -> dict[str, Any]:
    """A file's declared type held to the contract as the REST adapter holds its Content-Type."""
    if spec.file is not None:
        plain["contentType"] = bare_media_type(str(plain.get("contentType") or ""))
        check_file_type(spec.name, plain["contentType"], spec.file.content_type)
    return plain
