"""CachedBilling: a caching decorator over any BillingPort, serving stale rather than nothing.

Reads are kept in a store (stores.py: in this process by default; redis_store.py: shared by every
process), with keys that always start with the customer id. One ERP call per key at a time: concurrent
requests for the same key wait for the call in flight instead of all hitting the ERP, and if that call
finds the ERP unavailable they share its failure instead of each trying again. Errors are never cached.
Every good answer is also kept longer; when the ERP is unavailable that last good answer is served, marked
stale. A write evicts the keys it changes, and a read that began before such a write does not store its answer.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from adapters.core.errors import ErpUnavailable
from adapters.core.operations import OPERATIONS, READS
from adapters.core.port import BillingPort
from adapters.resilience.delegating import DelegatingBilling
from adapters.resilience.read_tracking import Read, note_read
from adapters.resilience.stores import DEFAULT_TTLS, STALE_TTL_SECONDS, CacheStore, Entry, Key, MemoryStore

__all__ = ["CachedBilling", "DEFAULT_TTLS", "EVICTS", "Entry", "READ_OPERATIONS", "STALE_TTL_SECONDS"]

EVICTS: Mapping[str, frozenset[str]] = {name: op.evicts for name, op in OPERATIONS.items() if op.write}
READ_OPERATIONS = READS


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class CachedBilling(DelegatingBilling):
    """Wraps a port; `ttl` and `max_entries` map operation names to seconds and entry counts (for the
    in-process store built when no `store` is given)."""

    def __init__(
        self,
        inner: BillingPort,
        ttl: Mapping[str, float] | None = None,
        max_entries: Mapping[str, int] | None = None,
        stale_ttl: float = STALE_TTL_SECONDS,
        timer: Callable[[], float] = time.monotonic,
        clock: Callable[[], datetime] = _utcnow,
        store: CacheStore | None = None,
    ) -> None:
        super().__init__(inner)
        self._clock = clock
        self.store = store or MemoryStore(ttl, max_entries, stale_ttl, timer)

    def _call(self, operation: str, *args: Any) -> Any:
        return self._write(operation, *args) if operation in EVICTS else self._read(operation, *args)

    def _read(self, operation: str, customer_id: str, *args: Any) -> Any:
        key: Key = (customer_id, *args)
        entry, stale = self.store.get(operation, key), False
        if entry is None:
            seen = self.store.failures(operation, key).count
            with self.store.lock(operation, key):
                entry, stale = self._answer(operation, key, seen)
        note_read(Read(entry.read_at, stale=stale))
        return entry.value

    def _answer(self, operation: str, key: Key, seen: int) -> tuple[Entry, bool]:
        """Holding the key's lock: the answer a caller before us stored, the stale answer if the call we
        waited for failed, else the ERP's own answer (stored unless a write overtook it)."""
        entry = self.store.get(operation, key)
        if entry is not None:
            return entry, False
        failures = self.store.failures(operation, key)
        if failures.count > seen and failures.last is not None:
            return self._stale_or(operation, key, failures.last)
        generation = self.store.generation(key[0])
        try:
            value = getattr(self.inner, operation)(*key)
        except ErpUnavailable as error:
            self.store.add_failure(operation, key, error)
            return self._stale_or(operation, key, error)
        entry = Entry(value, self._clock())
        self.store.set(operation, key, entry, generation)
        return entry, False

    def _stale_or(self, operation: str, key: Key, error: ErpUnavailable) -> tuple[Entry, bool]:
        """The last good answer, marked stale, when the ERP cannot answer; else the ERP's failure."""
        entry = self.store.get_stale(operation, key)
        if entry is None:
            raise error
        return entry, True

    def peek(self, operation: str, customer_id: str, *args: Any) -> Any | None:
        """The last good answer to this call, fresh or kept for serving stale, without asking the ERP;
        None when there is none. For guesses that the caller checks against a real answer."""
        key = (customer_id, *args)
        entry = self.store.get(operation, key) or self.store.get_stale(operation, key)
        return None if entry is None else entry.value

    def _write(self, operation: str, customer_id: str, *args: Any) -> Any:
        """Writes go straight through, once; then the answers they made stale are dropped."""
        try:
            return getattr(self.inner, operation)(customer_id, *args)
        finally:
            self.evict(customer_id, EVICTS[operation])

    def evict(self, customer_id: str, operations: frozenset[str] | None = None) -> None:
        """Forget a customer's cached answers (all of them, or those of the named operations)."""
        self.store.evict(customer_id, frozenset(operations or READ_OPERATIONS))
