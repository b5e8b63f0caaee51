"""A hostile ERP for the portal's real adapter chain: the reference simulator, whose replies a test can
replace whole per operation, reached either through `responses` (no socket; a host name of its own that
must never reach a page) or on a loopback socket (for drips, timeouts, refused connections, streams)."""

from __future__ import annotations

import copy
import dataclasses
import re
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import responses
from flask import Flask
from werkzeug.wrappers import Response

from fixtures.simulator import soap_codec
from fixtures.simulator.app import create_simulator
from fixtures.simulator.dataset import load_dataset
from fixtures.simulator.faults import FaultPlan
from fixtures.simulator.store import DemoStore

ERP_HOST = "erp-billing.internal.swik.test"
PATHS = {"soap": "/soap", "rest": "/api/v1"}
PROTOCOLS = tuple(PATHS)
SOAP_XML = "text/xml; charset=utf-8"
JSON = "application/json"
# A reply as a hostile ERP sends it: status, Content-Type, body, and optionally more headers; or a Response.
Reply = tuple[Any, ...] | Response
Spoiler = Callable[[bytes], Reply]
# The simulator's XSD and WSDL are parsed here, in the main thread, which lives as long as the tests: lxml
# objects made in a short-lived thread can crash libxml2 once that thread is gone.
soap_codec.request_schema()
soap_codec.contract()


class HostilePlan(FaultPlan):
    """The simulator's faults, plus whole replies replaced for an operation: `spoil(original body)` gives
    (status, content type, body[, headers]), or a whole Response (a streamed one, say)."""

    def __init__(self) -> None:
        super().__init__()
        self.spoilers: dict[str, Spoiler] = {}

    def replace(self, operation: str, spoil: Spoiler) -> None:
        self.spoilers[operation] = spoil

    def clear(self, operation: str | None = None) -> None:
        super().clear(operation)
        if operation is None:
            self.spoilers.clear()
        else:
            self.spoilers.pop(operation, None)

    def apply(self, operation: str | None, response: Any) -> Any:
        spoil = self.spoilers.get(operation or "")
        if spoil is None:
            return super().apply(operation, response)
        response.direct_passthrough = False
        reply = spoil(response.get_data())
        if isinstance(reply, Response):
            return reply
        status, content_type, body, *headers = reply
        return Response(body, status=status, content_type=content_type, headers=headers[0] if headers else None)


def erp_url(protocol: str, base: str = f"http://{ERP_HOST}") -> str:
    return base + PATHS[protocol]


@contextmanager
def erp_behind_responses(simulator: Flask) -> Iterator[responses.RequestsMock]:
    """Every request to ERP_HOST is answered by the simulator in-process, faults and spoilers applied."""
    client = simulator.test_client()
    # In-process, the simulator runs in the portal's own ERP-call threads; one request at a time keeps its
    # lxml validation (libxml2, not thread-safe per schema) away from them.
    one_at_a_time = threading.Lock()

    def forward(request: Any) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(request.url)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        with one_at_a_time:
            reply = client.open(parts.path, method=request.method, query_string=parts.query, data=request.body,
                                headers=headers)
        return reply.status_code, {k: v for k, v in reply.headers.items() if k.lower() != "content-length"}, \
            reply.get_data()

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in (responses.GET, responses.POST, responses.PUT):
            mock.add_callback(method, re.compile(rf"http://{re.escape(ERP_HOST)}/.*"), callback=forward,
                              content_type=None)
        yield mock


def hostile_store(change: Callable[[dict[str, Any]], None]) -> DemoStore:
    """The demo store with K-1001's data changed by `change` (given a deep copy of the customer's entry)."""
    dataset = load_dataset()
    customers = dict(dataset.customers)
    entry = copy.deepcopy(customers["K-1001"])
    change(entry)
    customers["K-1001"] = entry
    return DemoStore(dataclasses.replace(dataset, customers=customers))


def simulator(store: DemoStore | None = None, plan: HostilePlan | None = None) -> Flask:
    return create_simulator(store or DemoStore.load(), plan or HostilePlan())
