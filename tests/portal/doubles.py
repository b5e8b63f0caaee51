"""A port wrapper that fails on demand and counts writes: the ERP misbehaving, without touching the fake."""

from __future__ import annotations

from typing import Any

from adapters.core.errors import ErpError
from adapters.core.port import BillingPort
from adapters.resilience.delegating import DelegatingBilling


class ScriptedBilling(DelegatingBilling):
    """Delegates every operation to a real port unless a failure is scripted for it."""

    def __init__(self, inner: BillingPort) -> None:
        super().__init__(inner)
        self.failures: dict[str, ErpError] = {}
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def fail(self, operation: str, error: ErpError) -> None:
        self.failures[operation] = error

    def _call(self, operation: str, *args: Any) -> Any:
        self.calls.append((operation, args))
        if operation in self.failures:
            raise self.failures[operation]
        return getattr(self.inner, operation)(*args)
