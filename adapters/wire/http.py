"""HTTP to the ERP: one pooled session per process, and a bounded send every adapter goes through.

Bounded means: connect and read timeouts always set, one deadline per port operation shared by all its
exchanges (a server dripping one byte at a time cannot hold a worker, and an operation joining many calls
cannot multiply the wait), a cap on the reply's size, reads retried at most once with jitter, writes never
retried, and every transport failure mapped to ErpUnavailable.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from adapters.core.errors import ErpBadResponse, ErpNotSent, ErpUnavailable
from adapters.core.settings import ErpSettings

log = logging.getLogger(__name__)
# Set by the portal for each request, so the ERP's logs and ours can be matched line for line.
correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("ibok_correlation_id", default=None)
CORRELATION_HEADER = "X-Correlation-ID"
# When the running port operation must be done (time.monotonic()); None outside one.
_operation_ends: contextvars.ContextVar[float | None] = contextvars.ContextVar("ibok_erp_deadline", default=None)

CHUNK_BYTES = 64 * 1024
RETRY_JITTER_SECONDS = (0.05, 0.25)
# SOAP sends every fault, "not found" included, as 500: the SOAP adapter narrows this to 502-504.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class HttpReply:
    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()


@contextlib.contextmanager
def operation_deadline(seconds: float) -> Iterator[float]:
    """Every exchange inside shares one deadline, `seconds` from now; a scope inside another never extends it.
    Yields the monotonic time by which the operation must be done."""
    ends = time.monotonic() + seconds
    outer = _operation_ends.get()
    if outer is not None:
        ends = min(outer, ends)
    token = _operation_ends.set(ends)
    try:
        yield ends
    finally:
        _operation_ends.reset(token)


def seconds_left() -> float | None:
    """What is left of the running port operation's deadline; None outside one."""
    ends = _operation_ends.get()
    return None if ends is None else ends - time.monotonic()


@functools.lru_cache(maxsize=8)
def shared_session(settings: ErpSettings) -> requests.Session:
    """One tuned session per process and settings; never changed after it is built."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=2, pool_maxsize=settings.pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.verify = settings.ca_bundle or settings.verify_tls
    if settings.client_cert:
        session.cert = (settings.client_cert, settings.client_key) if settings.client_key else settings.client_cert
    _authenticate(session, settings)
    session.headers["User-Agent"] = "ibok-gateway"
    session.trust_env = False
    return session


def _authenticate(session: requests.Session, settings: ErpSettings) -> None:
    """One kind of credentials per ERP: a token or key is never also sent as basic auth (an ERP may take that
    for a failed user login and lock the portal out)."""
    if settings.auth == "basic" and settings.username:
        session.auth = (settings.username, settings.password or "")
    elif settings.auth == "bearer":
        session.headers["Authorization"] = f"Bearer {settings.token}"
    elif settings.auth == "api-key":
        session.headers[settings.api_key_header] = str(settings.api_key)


class ErpHttp:
    """Sends requests to the ERP within the limits in ErpSettings."""

    def __init__(self, settings: ErpSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.session = session or shared_session(settings)

    def deadline(self) -> contextlib.AbstractContextManager[float]:
        """A port operation's deadline (ERP_DEADLINE from now) for every exchange sent inside it."""
        return operation_deadline(self.settings.deadline)

    def send(
        self,
        operation: str,
        method: str,
        url: str,
        *,
        idempotent: bool,
        retry_statuses: frozenset[int] = RETRY_STATUSES,
        **kwargs: Any,
    ) -> HttpReply:
        """Send once; a read that failed in transport or with a retryable status is tried once more,
        after a short jitter and only if the deadline leaves time for it. Inside a port operation's deadline
        the exchange gets what is left of it; outside one, a deadline of its own."""
        ends = _operation_ends.get()
        if ends is None:
            ends = time.monotonic() + self.settings.deadline
        kwargs.setdefault("allow_redirects", False)  # a redirect is never part of the contract
        if correlation_id.get():
            kwargs["headers"] = {**(kwargs.get("headers") or {}), CORRELATION_HEADER: correlation_id.get()}
        try:
            reply = self._send_once(operation, method, url, ends, **kwargs)
        except ErpUnavailable:
            if not idempotent:
                raise
            reply = None
        if reply is not None and (reply.status not in retry_statuses or not idempotent):
            return reply
        pause = random.uniform(*RETRY_JITTER_SECONDS)
        if time.monotonic() + pause >= ends:
            if reply is not None:
                return reply
            raise ErpUnavailable(operation, "no time left within the deadline to try again")
        time.sleep(pause)
        log.info("erp retry", extra={"operation": operation})
        return self._send_once(operation, method, url, ends, **kwargs)

    def _send_once(self, operation: str, method: str, url: str, ends: float, **kwargs: Any) -> HttpReply:
        """One attempt, done by `ends` (monotonic), so a retry shares the deadline. No wait of the attempt
        (connecting, or for the first byte of the reply) may outlast what is left of it."""
        left = ends - time.monotonic()
        if left <= 0:
            raise ErpNotSent(operation, "no time left within the deadline")
        connect, read = self.settings.timeout
        timeout = (min(connect, left), min(read, left))
        try:
            response = self.session.request(method, url, timeout=timeout, stream=True, **kwargs)
        except requests.ConnectTimeout:
            raise ErpNotSent(operation, "connect timed out") from None
        except requests.ConnectionError as error:
            if _never_connected(error):
                raise ErpNotSent(operation, "connection refused") from None
            raise ErpUnavailable(operation, "connection failed") from None
        except requests.Timeout:
            raise ErpUnavailable(operation, "timed out") from None
        except requests.RequestException as error:
            raise ErpUnavailable(operation, type(error).__name__) from None
        with response:
            content = self._read_bounded(operation, response, ends)
        return HttpReply(response.status_code, CaseInsensitiveDict(response.headers), content)

    def _read_bounded(self, operation: str, response: requests.Response, ends: float) -> bytes:
        limit = self.settings.max_response_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ErpBadResponse(operation, f"reply larger than {limit} bytes")
        body = bytearray()
        try:
            for chunk in _chunks_as_they_come(response):
                body += chunk
                if len(body) > limit:
                    raise ErpBadResponse(operation, f"reply larger than {limit} bytes")
                if time.monotonic() > ends:
                    raise ErpUnavailable(operation, "reply did not finish within the deadline")
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError):
            raise ErpUnavailable(operation, "reply interrupted") from None
        return bytes(body)


def _never_connected(error: requests.ConnectionError) -> bool:
    """No connection was ever opened (refused, no route, name not resolved), so no byte of the request left:
    requests wraps urllib3's MaxRetryError, whose `reason` is then a NewConnectionError. A connection dropped after
    sending is a different reason (a ProtocolError), and the request may have reached the ERP. requests documents no
    finer error than ConnectionError: should it wrap otherwise, this answers False, the safe side (test_http.py)."""
    cause = error.args[0] if error.args else None
    return isinstance(cause, urllib3.exceptions.MaxRetryError) and isinstance(
        cause.reason, urllib3.exceptions.NewConnectionError)


def _chunks_as_they_come(response: requests.Response) -> Iterator[bytes]:
    """Yield whatever bytes arrived, without waiting to fill a chunk, so the deadline is checked often."""
    raw = response.raw
    if not hasattr(raw, "read1"):
        yield from response.iter_content(CHUNK_BYTES)
        return
    while chunk := raw.read1(CHUNK_BYTES, decode_content=True):
        yield chunk
