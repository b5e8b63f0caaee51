"""CachedBilling: a caching decorator over any BillingPort, serving stale rather than nothing.

Reads are kept in cachetools TTL caches, one per operation, with keys that always start with the
customer id. One ERP call per key at a time: concurrent requests for the same key wait for the call
in flight instead of all hitting the ERP, and if that call finds the ERP unavailable they share its
failure instead of each trying again. Errors are never cached. Every good answer is also kept in a
second, longer-lived store; when the ERP is unavailable that last good answer is served, marked stale.
A write evicts the keys it changes, and a read that began before such a write does not store its answer.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from cachetools import TTLCache

from adapters.core.errors import ErpUnavailable
from adapters.core.operations import FILE_CACHE_ENTRIES, OPERATIONS, READS
from adapters.core.port import BillingPort
from adapters.resilience.delegating import DelegatingBilling
from adapters.resilience.read_tracking import Read, note_read

STALE_TTL_SECONDS = 24 * 3600.0
DEFAULT_MAX_ENTRIES = 10_000
EVICTS: Mapping[str, frozenset[str]] = {name: op.evicts for name, op in OPERATIONS.items() if op.write}
READ_OPERATIONS = READS
# The table's lifetimes, which the configuration may override operation by operation.
DEFAULT_TTLS: Mapping[str, float] = {name: OPERATIONS[name].ttl for name in READS}
Key = tuple[Any, ...]
Flight = tuple[str, Key]


@dataclass(frozen=True)
class Entry:
    value: Any
    read_at: datetime


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _caches(ttl: Mapping[str, float], sizes: Mapping[str, int], timer: Callable[[], float]
            ) -> dict[str, TTLCache[Key, Entry]]:
    return {
        operation: TTLCache(maxsize=sizes.get(operation, _default_size(operation)), ttl=ttl[operation], timer=timer)
        for operation in READ_OPERATIONS
    }


def _default_size(operation: str) -> int:
    return FILE_CACHE_ENTRIES if OPERATIONS[operation].file else DEFAULT_MAX_ENTRIES


class CachedBilling(DelegatingBilling):
    """Wraps a port; `ttl` and `max_entries` map operation names to seconds and entry counts."""

    def __init__(
        self,
        inner: BillingPort,
        ttl: Mapping[str, float] | None = None,
        max_entries: Mapping[str, int] | None = None,
        stale_ttl: float = STALE_TTL_SECONDS,
        timer: Callable[[], float] = time.monotonic,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        super().__init__(inner)
        self._clock = clock
        self._timer = timer
        self._condition = threading.Condition()
        self._in_flight: set[Flight] = set()
        self._failed: TTLCache[Flight, tuple[float, ErpUnavailable]] = TTLCache(DEFAULT_MAX_ENTRIES, 60, timer=timer)
        self._generation: dict[str, int] = {}
        self._fresh = _caches({**DEFAULT_TTLS, **(ttl or {})}, max_entries or {}, timer)
        self._stale = _caches(dict.fromkeys(READ_OPERATIONS, stale_ttl), max_entries or {}, timer)

    def _call(self, operation: str, *args: Any) -> Any:
        return self._write(operation, *args) if operation in EVICTS else self._read(operation, *args)

    def _read(self, operation: str, customer_id: str, *args: Any) -> Any:
        flight: Flight = (operation, (customer_id, *args))
        with self._condition:
            found = self._wait_for(flight)
            generation = self._generation.get(customer_id, 0)
        if isinstance(found, Entry):
            note_read(Read(found.read_at))
            return found.value
        if isinstance(found, ErpUnavailable):
            return self._serve_stale(flight, found)
        try:
            value = getattr(self.inner, operation)(customer_id, *args)
        except ErpUnavailable as error:
            self._land(flight, None, generation, failure=error)
            return self._serve_stale(flight, error)
        except BaseException:
            self._land(flight, None, generation)
            raise
        entry = Entry(value, self._clock())
        self._land(flight, entry, generation)
        note_read(Read(entry.read_at))
        return value

    def _wait_for(self, flight: Flight) -> Entry | ErpUnavailable | None:
        """Under the lock: the cached entry; the failure of the call this thread waited for; or None,
        once this thread owns the call for the key."""
        waiting_since = None
        while True:
            entry = self._fresh[flight[0]].get(flight[1])
            if entry is not None:
                return entry
            failed = self._failed.get(flight)
            if waiting_since is not None and failed is not None and failed[0] >= waiting_since:
                return failed[1]
            if flight not in self._in_flight:
                self._in_flight.add(flight)
                return None
            waiting_since = self._timer() if waiting_since is None else waiting_since
            self._condition.wait()

    def _land(self, flight: Flight, entry: Entry | None, generation: int, failure: ErpUnavailable | None = None
              ) -> None:
        """Store the answer and release the waiters in one step, so none of them calls again; an answer
        that a write overtook (the customer's generation moved on) is not stored."""
        operation, key = flight
        with self._condition:
            if entry is not None and self._generation.get(key[0], 0) == generation:
                self._fresh[operation][key] = entry
                self._stale[operation][key] = entry
                self._failed.pop(flight, None)
            if failure is not None:
                self._failed[flight] = (self._timer(), failure)
            self._in_flight.discard(flight)
            self._condition.notify_all()

    def _serve_stale(self, flight: Flight, error: ErpUnavailable) -> Any:
        """The last good answer, marked stale, when the ERP cannot answer; else the ERP's failure."""
        with self._condition:
            entry = self._stale[flight[0]].get(flight[1])
        if entry is None:
            raise error
        note_read(Read(entry.read_at, stale=True))
        return entry.value

    def peek(self, operation: str, customer_id: str, *args: Any) -> Any | None:
        """The last good answer to this call, fresh or kept for serving stale, without asking the ERP;
        None when there is none. For guesses that the caller checks against a real answer."""
        key = (customer_id, *args)
        with self._condition:
            entry = self._fresh[operation].get(key) or self._stale[operation].get(key)
        return None if entry is None else entry.value

    def _write(self, operation: str, customer_id: str, *args: Any) -> Any:
        """Writes go straight through, once; then the answers they made stale are dropped."""
        try:
            return getattr(self.inner, operation)(customer_id, *args)
        finally:
            self.evict(customer_id, EVICTS[operation])

    def evict(self, customer_id: str, operations: frozenset[str] | None = None) -> None:
        """Forget a customer's cached answers (all of them, or those of the named operations)."""
        with self._condition:
            self._generation[customer_id] = self._generation.get(customer_id, 0) + 1
            for operation in operations or READ_OPERATIONS:
                for cache in (self._fresh[operation], self._stale[operation]):
                    for key in [key for key in list(cache.keys()) if key[0] == customer_id]:
                        cache.pop(key, None)
