"""FakeBilling: the port over an in-process backend that speaks wire dicts (the demo store), no network.

Every request is built by adapters/wire/payloads.py and every reply loaded by adapters/wire/schemas.py, so the fake
fails where the real adapters would. Adapters never import fixtures: the backend is any object with a method per
operation of adapters/core/operations.py, named alike, taking and returning the contract's wire dicts.
"""

from __future__ import annotations

from typing import Any

from adapters.core.operations import OPERATIONS
from adapters.core.port import BillingPort
from adapters.wire import payloads
from adapters.wire.schemas import REPLIES


class FakeBilling(BillingPort):
    """The demo ERP in-process: `FakeBilling(DemoStore.load())`; its errors are already the port's own."""

    def __init__(self, backend: object) -> None:
        self.backend = backend

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        spec = OPERATIONS[operation]
        params = payloads.request_params(spec, customer_id, args)
        reply = getattr(self.backend, operation)(*payloads.backend_args(spec, params))
        return REPLIES[operation].load(operation, reply)
