"""Where CachedBilling keeps ERP answers: the interface, and the in-process store each process has by default.

A store keeps, per operation and key (the customer id first, then the call's arguments): a fresh answer for
the operation's time to live, the last good answer for longer (to serve stale), the failures recorded for
the key (so callers that waited for a call share its failure), a generation per customer (a write moves it
on, so an answer a write overtook is not stored), and one lock per key held while its ERP call runs.
CachedBilling (cached.py) holds the rules; a store only keeps things. The shared one is redis_store.py.
"""

from __future__ import annotations

import abc
import contextlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, ContextManager, Iterator, Mapping

from cachetools import TTLCache

from adapters.core.errors import ErpUnavailable
from adapters.core.operations import FILE_CACHE_ENTRIES, OPERATIONS, READS

STALE_TTL_SECONDS = 24 * 3600.0
DEFAULT_MAX_ENTRIES = 10_000
# Failures are compared only while callers wait for a call in flight: a minute outlasts any ERP call.
FAILURE_TTL_SECONDS = 60.0
# The table's lifetimes, which the configuration may override operation by operation.
DEFAULT_TTLS: Mapping[str, float] = {name: OPERATIONS[name].ttl for name in READS}
Key = tuple[Any, ...]
Flight = tuple[str, Key]


@dataclass(frozen=True)
class Entry:
    """An ERP answer and when the ERP gave it."""

    value: Any
    read_at: datetime


@dataclass(frozen=True)
class Failures:
    """How many calls for a key found the ERP unavailable lately, and the last such failure."""

    count: int = 0
    last: ErpUnavailable | None = None


class StoreUnavailable(Exception):
    """A shared store did not answer in time; the message names the kind of failure, never a key."""


class CacheStore(abc.ABC):
    """What CachedBilling needs kept; every method is about one customer's key or all of a customer's keys."""

    @abc.abstractmethod
    def get(self, operation: str, key: Key) -> Entry | None:
        """The fresh answer, or None once its time to live has passed."""

    @abc.abstractmethod
    def get_stale(self, operation: str, key: Key) -> Entry | None:
        """The last good answer kept for serving stale (fresh or not), or None."""

    @abc.abstractmethod
    def set(self, operation: str, key: Key, entry: Entry, generation: int) -> None:
        """Keep the answer as fresh and as the last good one, unless the customer's generation moved on."""

    @abc.abstractmethod
    def generation(self, customer_id: str) -> int:
        """The customer's write count as the store knows it; read before an ERP call, compared by `set`."""

    @abc.abstractmethod
    def failures(self, operation: str, key: Key) -> Failures:
        """The failures recorded lately for the key."""

    @abc.abstractmethod
    def add_failure(self, operation: str, key: Key, failure: ErpUnavailable) -> None:
        """Record that a call for the key found the ERP unavailable, for the callers waiting on it."""

    @abc.abstractmethod
    def evict(self, customer_id: str, operations: frozenset[str]) -> None:
        """Drop the customer's fresh and stale answers of these operations and move the generation on."""

    @abc.abstractmethod
    def lock(self, operation: str, key: Key) -> ContextManager[None]:
        """Held while the key's ERP call runs: one call per key at a time, others wait."""

    def state(self) -> str:
        """How the store stands, for /readyz."""
        return "in-process"


def _default_size(operation: str) -> int:
    return FILE_CACHE_ENTRIES if OPERATIONS[operation].file else DEFAULT_MAX_ENTRIES


def ttl_caches(ttl: Mapping[str, float], sizes: Mapping[str, int], timer: Callable[[], float]
               ) -> dict[str, TTLCache[Key, Entry]]:
    """One bounded TTL cache per read operation."""
    return {
        operation: TTLCache(maxsize=sizes.get(operation, _default_size(operation)), ttl=ttl[operation], timer=timer)
        for operation in READS
    }


class KeyLocks:
    """One lock per key while anyone holds or waits for it; forgotten when nobody does."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Flight, tuple[threading.Lock, int]] = {}

    @contextlib.contextmanager
    def hold(self, flight: Flight) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(flight, (threading.Lock(), 0))
            self._locks[flight] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[flight]
                if users == 1:
                    del self._locks[flight]
                else:
                    self._locks[flight] = (lock, users - 1)


class MemoryStore(CacheStore):
    """cachetools TTL caches in this process (not thread-safe, hence one guard); the default on one machine."""

    def __init__(
        self,
        ttl: Mapping[str, float] | None = None,
        max_entries: Mapping[str, int] | None = None,
        stale_ttl: float = STALE_TTL_SECONDS,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._guard = threading.Lock()
        self._fresh = ttl_caches({**DEFAULT_TTLS, **(ttl or {})}, max_entries or {}, timer)
        self._stale = ttl_caches(dict.fromkeys(READS, stale_ttl), max_entries or {}, timer)
        self._failures: TTLCache[Flight, Failures] = TTLCache(DEFAULT_MAX_ENTRIES, FAILURE_TTL_SECONDS, timer=timer)
        self._generations: dict[str, int] = {}
        self._locks = KeyLocks()

    def get(self, operation: str, key: Key) -> Entry | None:
        with self._guard:
            return self._fresh[operation].get(key)

    def get_stale(self, operation: str, key: Key) -> Entry | None:
        with self._guard:
            return self._stale[operation].get(key)

    def set(self, operation: str, key: Key, entry: Entry, generation: int) -> None:
        with self._guard:
            if self._generations.get(key[0], 0) == generation:
                self._fresh[operation][key] = entry
                self._stale[operation][key] = entry

    def generation(self, customer_id: str) -> int:
        with self._guard:
            return self._generations.get(customer_id, 0)

    def failures(self, operation: str, key: Key) -> Failures:
        with self._guard:
            return self._failures.get((operation, key), Failures())

    def add_failure(self, operation: str, key: Key, failure: ErpUnavailable) -> None:
        """Keeps a copy without the traceback, as Redis keeps the message: the raised error's frames hold the
        failure before it, so while the ERP is down every failure since would stay alive for the collector."""
        with self._guard:
            count = self._failures.get((operation, key), Failures()).count
            self._failures[(operation, key)] = Failures(count + 1, ErpUnavailable(*failure.args))

    def evict(self, customer_id: str, operations: frozenset[str]) -> None:
        with self._guard:
            self._generations[customer_id] = self._generations.get(customer_id, 0) + 1
            for operation in operations:
                for cache in (self._fresh[operation], self._stale[operation]):
                    for key in [key for key in list(cache.keys()) if key[0] == customer_id]:
                        cache.pop(key, None)

    def lock(self, operation: str, key: Key) -> ContextManager[None]:
        return self._locks.hold((operation, key))
