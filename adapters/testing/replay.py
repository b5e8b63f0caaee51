"""Replays a recording through `responses`: the real adapters run, the network is never touched.

A request matches a recorded exchange when method, path, query and the meaningful part of the body agree:
the JSON value for REST, the SOAP Body for SOAP (headers such as WS-Security nonces differ per call). The
query matches however it was passed (`params=` or in the URL, in any order, percent-encoded or not); fields
and parameters whose credentials the recording removed match whatever they hold.
Exchanges that match the same request are handed out in recorded order, the last one repeating.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote, urlsplit

import responses
from lxml import etree

from adapters.testing.recording import Exchange, load_exchanges, split_query
from adapters.testing.redaction import REDACTED, Redactor, is_secret_name

_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)
SOAP_ENVELOPE_NAMESPACES = ("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope")


def canonical_body(body: Any, redacted: Iterable[str] = ()) -> str:
    """The part of a request body that decides which answer it gets; credentials do not decide."""
    if body is None:
        return ""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
    text = Redactor(secret_names=redacted).body(text.strip())[0].strip()
    if text.startswith(("{", "[")):
        try:
            return json.dumps(json.loads(text), sort_keys=True)
        except ValueError:
            return text
    if text.startswith("<"):
        return _soap_body(text)
    return text


def _soap_body(text: str) -> str:
    try:
        root = etree.fromstring(text.encode("utf-8"), _SAFE_PARSER)
    except etree.XMLSyntaxError:
        return text
    for namespace in SOAP_ENVELOPE_NAMESPACES:
        body = root.find(f"{{{namespace}}}Body")
        if body is not None:
            return etree.tostring(body, method="c14n").decode("utf-8")
    return etree.tostring(root, method="c14n").decode("utf-8")


def _body_matcher(expected: str, redacted: list[str]) -> Callable[[Any], tuple[bool, str]]:
    def match(request: Any) -> tuple[bool, str]:
        if canonical_body(request.body, redacted) == expected:
            return True, ""
        return False, "request body differs from the recording"

    return match


def canonical_query(path_or_url: str) -> list[tuple[str, str]]:
    """The query's parameters decoded and sorted; a credential's value does not count."""
    _, pairs = split_query(path_or_url)
    return sorted((name, REDACTED if is_secret_name(name) else value) for name, value in pairs)


def _query_matcher(recorded_path: str) -> Callable[[Any], tuple[bool, str]]:
    expected = canonical_query(recorded_path)

    def match(request: Any) -> tuple[bool, str]:
        return (canonical_query(request.url) == expected, "query differs from the recording")

    return match


def _path_matcher(expected: str) -> Callable[[Any], tuple[bool, str]]:
    def match(request: Any) -> tuple[bool, str]:
        return (unquote(urlsplit(request.url).path) == expected, "path differs from the recording")

    return match


def register_exchange(mock: responses.RequestsMock, base_url: str, exchange: Exchange) -> None:
    """Add one recorded answer to a running mock, under the given base URL."""
    base = urlsplit(base_url.rstrip("/"))
    recorded_path = split_query(exchange.path)[0]
    mock.add(
        exchange.method,
        re.compile(re.escape(f"{base.scheme}://{base.netloc}") + r"(/|\?|$)"),
        body=exchange.content,
        status=exchange.status,
        headers={k: v for k, v in exchange.headers.items() if k != "Content-Type"},
        content_type=exchange.headers.get("Content-Type"),
        match=[
            _path_matcher(unquote(base.path + recorded_path)),
            _query_matcher(exchange.path),
            _body_matcher(canonical_body(exchange.request_body, exchange.redacted), exchange.redacted),
        ],
    )


def replaying(folder: Path, base_url: str) -> responses.RequestsMock:
    """A mock, not yet started, that answers every recorded request; use it as a context manager."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    for exchange in load_exchanges(folder):
        register_exchange(mock, base_url, exchange)
    return mock
