"""BreakerBilling: a circuit breaker per group of ERP operations, in front of any BillingPort.

After `fail_max` calls in a row that found the ERP unavailable, calls of that group fail at once for
`reset_timeout` seconds (no worker waits on a dead ERP); then one probe call is let through, and its
outcome closes or reopens the circuit. Only unavailability counts: "not found", a refused write or a
malformed reply are answers, and one customer's bad record must not cut everyone off.

The circuits are this module's own, not pybreaker's: pybreaker holds its lock for the whole of every call
it guards, so a group's calls ran one at a time; here the lock guards the circuit's state only.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Mapping, TypeVar

from adapters.core.errors import ErpNotSent, ErpUnavailable
from adapters.core.operations import OPERATIONS
from adapters.core.port import BillingPort
from adapters.resilience.delegating import DelegatingBilling

T = TypeVar("T")

GROUP_OF: Mapping[str, str] = {name: operation.group for name, operation in OPERATIONS.items()}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(GROUP_OF.values()))


class CircuitOpen(Exception):
    """The circuit is open: the call was not made."""


class Circuit:
    """One group's breaker: closed (calls pass), open (calls fail at once) or half-open (one probe in flight,
    the other calls still fail at once). Thread-safe; calls themselves run in parallel."""

    def __init__(self, fail_max: int, reset_timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.fail_max = fail_max
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half-open" if self._probing else "open"

    def call(self, operation: Callable[[], T]) -> T:
        """Run `operation` unless the circuit is open (CircuitOpen); ErpUnavailable counts as a failure,
        any other outcome as an answer."""
        probe = self._admit()
        try:
            result = operation()
        except ErpUnavailable:
            self._settle(failed=True, probe=probe)
            raise
        except BaseException:
            self._settle(failed=False, probe=probe)
            raise
        self._settle(failed=False, probe=probe)
        return result

    def _admit(self) -> bool:
        """True when this call is the probe of an open circuit whose pause is over."""
        with self._lock:
            if self._opened_at is None:
                return False
            if self._probing or self._clock() - self._opened_at < self.reset_timeout:
                raise CircuitOpen()
            self._probing = True
            return True

    def _settle(self, failed: bool, probe: bool) -> None:
        with self._lock:
            if probe:
                self._probing = False
                self._opened_at = self._clock() if failed else None
                self._failures = 0
            elif self._opened_at is not None:
                return  # opened while this call was in flight: only the probe decides now
            elif not failed:
                self._failures = 0
            else:
                self._failures += 1
                if self._failures >= self.fail_max:
                    self._opened_at = self._clock()


class BreakerBilling(DelegatingBilling):
    """Wraps a port; the circuits are per process, kept in memory."""

    def __init__(self, inner: BillingPort, fail_max: int = 5, reset_timeout: float = 30.0) -> None:
        super().__init__(inner)
        self.breakers = {group: Circuit(fail_max, reset_timeout) for group in GROUPS}

    def states(self) -> dict[str, str]:
        """Each group's state: closed (normal), open (failing fast) or half-open (probing)."""
        return {group: breaker.state for group, breaker in self.breakers.items()}

    def _call(self, operation: str, *args: Any) -> Any:
        breaker = self.breakers[GROUP_OF[operation]]
        try:
            return breaker.call(lambda: getattr(self.inner, operation)(*args))
        except CircuitOpen:
            raise ErpNotSent(operation, "the ERP is failing: calls are paused for a while") from None
