"""NarrowedBilling: an adapter offering less than its ERP can, because the utility does not want it shown."""

from __future__ import annotations

from typing import Any, Iterable

from adapters.core.port import BillingPort
from adapters.resilience.delegating import DelegatingBilling


class NarrowedBilling(DelegatingBilling):
    """Wraps a port and takes `not_offered` out of its capabilities (IT's ERP_NOT_OFFERED); the rest passes."""

    def __init__(self, inner: BillingPort, not_offered: Iterable[str]) -> None:
        super().__init__(inner)
        self.not_offered = frozenset(not_offered)

    @property
    def offered_operations(self) -> frozenset[str]:
        return self.inner.offered_operations - self.not_offered

    def _call(self, operation: str, *args: Any) -> Any:
        return getattr(self.inner, operation)(*args)
