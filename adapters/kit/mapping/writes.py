"""A mapping file's writes: the body sent once (never retried), behind a CSRF token where the ERP wants one
(SAP Gateway), and the ERP's refusal read from where the file says its error text sits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from adapters.core.errors import ErpBadResponse
from adapters.kit.mapping.paths import Path
from adapters.kit.mapping.templates import Request
from adapters.rest.replies import JSON_TYPE, json_payload
from adapters.wire.http import ErpHttp, HttpReply
from adapters.wire.statuses import error_for_status


@dataclass(frozen=True)
class WritePolicy:
    """`csrf_header` fetched by a GET of `csrf_path` (sending `csrf_fetch`) before each write; the refusal's
    text and code at `reason` and `code` in an error reply."""

    csrf_header: str | None = None
    csrf_path: str = "/"
    csrf_fetch: str = "Fetch"
    reason: Path = Path("error.message")
    code: Path = Path("error.code")


def send_write(http: ErpHttp, policy: WritePolicy, operation: str, request: Request, url: str, base_url: str,
               body: Any, idempotency_key: str | None) -> Any:
    """The write's reply as JSON; a refusal is ErpRejected with the ERP's own reason."""
    headers = {"Accept": JSON_TYPE, **request.headers}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    if policy.csrf_header:
        headers[policy.csrf_header] = _csrf_token(http, policy, operation, base_url, request.headers)
    reply = http.send(operation, request.method, url, idempotent=False, json=body, headers=headers)
    _raise_refusal(policy, operation, reply)
    return json_payload(operation, reply)


def _csrf_token(http: ErpHttp, policy: WritePolicy, operation: str, base_url: str, headers: Mapping[str, str]
                ) -> str:
    assert policy.csrf_header is not None
    reply = http.send(operation, "GET", base_url + policy.csrf_path, idempotent=True,
                      headers={**headers, "Accept": JSON_TYPE, policy.csrf_header: policy.csrf_fetch})
    _raise_refusal(policy, operation, reply)
    token = reply.headers.get(policy.csrf_header)
    if not token or token == policy.csrf_fetch:
        raise ErpBadResponse(operation, "no CSRF token in the reply", field=policy.csrf_header)
    return str(token)


def _raise_refusal(policy: WritePolicy, operation: str, reply: HttpReply) -> None:
    if 200 <= reply.status < 300:
        return
    try:
        error = json.loads(reply.content)
    except (ValueError, RecursionError):
        error = None
    failure = error_for_status(operation, reply.status, reason=policy.reason.get(error), code=policy.code.get(error))
    if failure is not None:
        raise failure
