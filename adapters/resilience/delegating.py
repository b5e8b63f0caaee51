"""DelegatingBilling: the base of every decorator over the port (cache, breakers, test doubles).

Every typed method arrives at one `_call(operation, customer_id, *args)`, so a decorator writes its policy once.
"""

from __future__ import annotations

import abc
from typing import Any

from adapters.core.port import BillingPort


class DelegatingBilling(BillingPort):
    """Wraps `inner`; subclasses decide what `_call` does around `getattr(self.inner, operation)`:
    the inner port's named method, which a hand-written adapter may override instead of `perform`."""

    def __init__(self, inner: BillingPort) -> None:
        self.inner = inner

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        return self._call(operation, customer_id, *args)

    @abc.abstractmethod
    def _call(self, operation: str, *args: Any) -> Any:
        """Run one port operation on the inner port, with this decorator's policy around it."""
