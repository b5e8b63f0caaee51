"""FallbackStore: the shared store while it answers, this process's own store while it does not.

Redis slow or down must never turn a page into an error: the first command that fails switches this
process to its in-process store for `retry_seconds` (one log line), then the shared store is tried again.
Evictions always reach the process's own store; those the shared store missed are replayed to it when it
answers again, so a write delivered during the outage does not leave the shared answers stale.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Callable, Iterator, TypeVar

from adapters.core.errors import ErpUnavailable
from adapters.resilience.stores import CacheStore, Entry, Failures, Key, StoreUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")


class FallbackStore(CacheStore):
    """`shared` first; `local` for `retry_seconds` after the shared store failed."""

    def __init__(self, shared: CacheStore, local: CacheStore, retry_seconds: float = 5.0,
                 timer: Callable[[], float] = time.monotonic) -> None:
        self.shared, self.local = shared, local
        self._retry_seconds = retry_seconds
        self._timer = timer
        self._down_until: float | None = None
        self._guard = threading.Lock()
        self._missed: dict[str, set[str]] = {}  # evictions the shared store did not take, per customer

    def _use(self, action: Callable[[CacheStore], T]) -> T:
        """The action on the shared store if it is up and answers, else on the local one."""
        down_until = self._down_until
        if down_until is None or self._timer() >= down_until:
            try:
                self._recover()
                return action(self.shared)
            except StoreUnavailable as error:
                self._failed(error)
        return action(self.local)

    def _failed(self, error: StoreUnavailable) -> None:
        with self._guard:
            first = self._down_until is None
            self._down_until = self._timer() + self._retry_seconds
        if first:
            log.warning("shared cache unavailable (%s): this process uses its own cache, trying again every %s s",
                        error, self._retry_seconds)

    def _recover(self) -> None:
        """Back from an outage: replay the evictions the shared store missed before using it again."""
        if self._down_until is None:
            return
        with self._guard:
            missed, self._missed = self._missed, {}
        try:
            for customer_id, operations in missed.items():
                self.shared.evict(customer_id, frozenset(operations))
        except StoreUnavailable:
            self._keep_missed(missed)
            raise
        self._down_until = None
        log.warning("shared cache answers again")

    def _keep_missed(self, missed: dict[str, set[str]]) -> None:
        with self._guard:
            for customer_id, operations in missed.items():
                self._missed.setdefault(customer_id, set()).update(operations)

    def get(self, operation: str, key: Key) -> Entry | None:
        return self._use(lambda store: store.get(operation, key))

    def get_stale(self, operation: str, key: Key) -> Entry | None:
        return self._use(lambda store: store.get_stale(operation, key))

    def set(self, operation: str, key: Key, entry: Entry, generation: int) -> None:
        self._use(lambda store: store.set(operation, key, entry, generation))

    def generation(self, customer_id: str) -> int:
        return self._use(lambda store: store.generation(customer_id))

    def failures(self, operation: str, key: Key) -> Failures:
        return self._use(lambda store: store.failures(operation, key))

    def add_failure(self, operation: str, key: Key, failure: ErpUnavailable) -> None:
        self._use(lambda store: store.add_failure(operation, key, failure))

    def evict(self, customer_id: str, operations: frozenset[str]) -> None:
        self.local.evict(customer_id, operations)

        def shared_or_missed(store: CacheStore) -> None:
            if store is self.shared:
                store.evict(customer_id, operations)
            else:
                self._keep_missed({customer_id: set(operations)})

        self._use(shared_or_missed)

    @contextlib.contextmanager
    def lock(self, operation: str, key: Key) -> Iterator[None]:
        with contextlib.ExitStack() as stack:
            self._use(lambda store: stack.enter_context(store.lock(operation, key)))
            yield

    def state(self) -> str:
        """Asks the shared store now, so monitoring sees an outage before a customer does."""
        return self._use(lambda store: store.state() if store is self.shared else "redis unavailable")
