"""DelegatingBilling: the base of every decorator over the port (cache, breakers, test doubles).

Every typed method arrives at one `_call(operation, customer_id, *args)`, so a decorator writes its policy once.
A decorator offers what its inner port offers, and answers ErpNotOffered for the rest before its policy runs:
"not offered" never reaches a cache, a breaker or the ERP.
"""

from __future__ import annotations

import abc
from typing import Any

from adapters.core.errors import ErpNotOffered
from adapters.core.port import BillingPort


class DelegatingBilling(BillingPort):
    """Wraps `inner`; subclasses decide what `_call` does around `getattr(self.inner, operation)`:
    the inner port's named method, which a hand-written adapter may override instead of `perform`."""

    def __init__(self, inner: BillingPort) -> None:
        self.inner = inner

    @property
    def offered_operations(self) -> frozenset[str]:
        return self.inner.offered_operations

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        if not self.offers(operation):
            raise ErpNotOffered(operation, "the ERP does not offer this operation")
        return self._call(operation, customer_id, *args)

    @abc.abstractmethod
    def _call(self, operation: str, *args: Any) -> Any:
        """Run one port operation on the inner port, with this decorator's policy around it."""
