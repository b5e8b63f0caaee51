"""The REST adapter: the billing port over the reference contract in adapters/contract/openapi.yaml."""

from __future__ import annotations

import base64
import re
from typing import Any, Mapping
from urllib.parse import quote, urlencode

from adapters.core.errors import ErpBadResponse, ErpNotFound
from adapters.core.operations import OPERATIONS, Operation
from adapters.core.port import BillingPort
from adapters.core.settings import ErpSettings
from adapters.rest.replies import JSON_TYPE, file_payload, json_payload
from adapters.wire import payloads
from adapters.wire.http import ErpHttp, HttpReply
from adapters.wire.memo import REPLY_MEMO
from adapters.wire.schemas import REPLIES

PLACEHOLDER = re.compile(r"\{(\w+)\}")


class RestBilling(BillingPort):
    """Each operation is one bounded HTTP call, routed by the operation table; every reply goes through the
    shared schemas."""

    def __init__(self, settings: ErpSettings, *, http: ErpHttp | None = None) -> None:
        self.base_url = settings.url.rstrip("/")
        self.http = http or ErpHttp(settings)

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        """One deadline (ERP_DEADLINE) for the operation, however many exchanges it takes."""
        with self.http.deadline():
            return self._perform(OPERATIONS[operation], customer_id, args)

    def _perform(self, spec: Operation, customer_id: str, args: tuple[Any, ...]) -> Any:
        operation = spec.name
        params = payloads.request_params(spec, customer_id, args)
        url = self._url(spec, params)
        if spec.write:
            return self._write(spec, url, params)
        if spec.file is not None:
            reply = self._get(spec, url, spec.file.content_type or "*/*")
            payload = file_payload(operation, reply, spec.file.fallback_name.format_map(params), spec.file.content_type)
            return REPLIES[operation].load(operation, payload)
        reply = self._get(spec, url, JSON_TYPE)
        return REPLY_MEMO.load((customer_id, operation, *args), reply, lambda: _records(operation, reply))

    def _url(self, spec: Operation, params: Mapping[str, Any]) -> str:
        """Quote every value whole: an empty or dots-only id would name another path."""
        values = [str(params[name]) for name in PLACEHOLDER.findall(spec.path)]
        if any(not value.strip(".") for value in values):
            raise ErpNotFound(spec.name, "no such object")
        path = PLACEHOLDER.sub(lambda match: quote(str(params[match.group(1)]), safe=""), spec.path)
        # The query goes into the URL itself, so recordings and replays see it as the ERP does.
        query = {name: params[wire] for wire, name in spec.query.items() if params.get(wire)}
        return f"{self.base_url}{path}?{urlencode(query)}" if query else f"{self.base_url}{path}"

    def _get(self, spec: Operation, url: str, accept: str) -> Any:
        headers = {"Accept": accept}
        return self.http.send(spec.name, "GET", url, idempotent=True, headers=headers, allow_redirects=False)

    def _write(self, spec: Operation, url: str, params: Mapping[str, Any]) -> Any:
        """Never retried: the Idempotency-Key lets the portal, not the adapter, decide to send again."""
        body = _json_ready({key: value for key, value in params.items() if key != "customerId"})
        headers = {"Accept": JSON_TYPE, "Idempotency-Key": params["idempotencyKey"]}
        reply = self.http.send(
            spec.name, spec.method, url, idempotent=False, json=body, headers=headers, allow_redirects=False
        )
        return REPLIES[spec.name].load(spec.name, json_payload(spec.name, reply))


def _records(operation: str, reply: HttpReply) -> Any:
    payload = json_payload(operation, reply)
    key = REPLIES[operation].key
    if key is not None and isinstance(payload, Mapping) and key not in payload:
        # Over REST an empty list is [], so a reply without the list's key is not taken as empty.
        raise ErpBadResponse(operation, "missing", field=key)
    return REPLIES[operation].load(operation, payload)


def _json_ready(value: Any) -> Any:
    """JSON has no bytes: file content travels as standard base64."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    return value
