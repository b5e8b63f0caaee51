"""A limit on ERP calls per second shared by the run's threads, so a reminder run never floods the ERP."""

from __future__ import annotations

import threading
import time
from typing import Callable


class RateLimiter:
    """Hands out evenly spaced start times, one per call: at most `per_second` calls start in any second.
    The clock and the sleep are given, so tests count calls against a fake clock instead of waiting."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if per_second <= 0:
            raise ValueError(f"NOTIFY_ERP_CALLS_PER_SECOND must be above 0 (it is {per_second!r})")
        self.interval = 1.0 / per_second
        self.clock, self.sleep = clock, sleep
        self._next = clock()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until this caller's turn; turns are reserved under the lock, waited for outside it."""
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)
