"""DeadlineBilling: one deadline per port operation around any adapter, plugins' own methods included."""

from __future__ import annotations

from typing import Any

from adapters.core.port import BillingPort
from adapters.resilience.delegating import DelegatingBilling
from adapters.wire.http import operation_deadline


class DeadlineBilling(DelegatingBilling):
    """Every HTTP exchange an operation of the inner adapter makes shares `seconds` from the operation's start:
    an operation joining sixteen calls waits at most that long, not sixteen times it."""

    def __init__(self, inner: BillingPort, seconds: float) -> None:
        super().__init__(inner)
        self.seconds = seconds

    def _call(self, operation: str, *args: Any) -> Any:
        with operation_deadline(self.seconds):
            return getattr(self.inner, operation)(*args)
