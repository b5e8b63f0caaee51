"""CachedBilling: a caching decorator over any BillingPort.

Reads are kept in cachetools TTL caches, one per operation, with keys that always start with the
customer id. One ERP call per key at a time: concurrent requests for the same key wait for the call
in flight instead of all hitting the ERP. Errors are never cached. A write evicts the keys it changes,
and a read that began before such a write does not store its (older) answer.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Hashable, Iterator, Mapping

from cachetools import TTLCache

from adapters.port import BillingPort
from adapters.records import (
    Contract,
    Customer,
    DocumentInfo,
    FileContent,
    Invoice,
    InvoiceSummary,
    Message,
    MessageDraft,
    Meter,
    Reading,
    ReadingSubmission,
    Settlements,
    WriteReceipt,
)

DEFAULT_TTL_SECONDS = 60.0
DEFAULT_MAX_ENTRIES = 10_000
# Files are large and rarely read twice in a row: few of them are kept.
FILE_OPERATIONS = frozenset({"get_contract_scan", "get_invoice_pdf", "get_document"})
FILE_MAX_ENTRIES = 100
EVICTS: Mapping[str, frozenset[str]] = {
    "submit_reading": frozenset({"list_readings", "list_meters"}),
    "send_message": frozenset({"list_messages"}),
    "set_einvoice_consent": frozenset({"list_contracts", "get_customer"}),
}
READ_OPERATIONS = (
    "get_customer", "list_contracts", "get_contract_scan", "list_meters", "list_readings", "list_invoices",
    "get_invoice", "get_invoice_pdf", "get_settlements", "list_documents", "get_document", "list_messages",
)

_reads: contextvars.ContextVar[list[datetime] | None] = contextvars.ContextVar("ibok_cache_reads", default=None)


@dataclass(frozen=True)
class Entry:
    value: Any
    read_at: datetime


@contextlib.contextmanager
def tracking_reads() -> Iterator[list[datetime]]:
    """Collect when each answer served in this block was read from the ERP (threads started with a copy
    of this context report into the same list)."""
    reads: list[datetime] = []
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


def _note(read_at: datetime) -> None:
    reads = _reads.get()
    if reads is not None:
        reads.append(read_at)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class CachedBilling(BillingPort):
    """Wraps a port; `ttl` and `max_entries` map operation names to seconds and entry counts."""

    def __init__(
        self,
        inner: BillingPort,
        ttl: Mapping[str, float] | None = None,
        max_entries: Mapping[str, int] | None = None,
        timer: Callable[[], float] = time.monotonic,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.inner = inner
        self._clock = clock
        self._condition = threading.Condition()
        self._in_flight: set[Hashable] = set()
        self._generation: dict[str, int] = {}
        self._caches: dict[str, TTLCache[tuple[Any, ...], Entry]] = {
            operation: TTLCache(
                maxsize=(max_entries or {}).get(operation, _default_size(operation)),
                ttl=(ttl or {}).get(operation, DEFAULT_TTL_SECONDS),
                timer=timer,
            )
            for operation in READ_OPERATIONS
        }

    def _read(self, operation: str, customer_id: str, *args: Any) -> Any:
        key = (customer_id, *args)
        cache = self._caches[operation]
        with self._condition:
            entry = self._wait_for(cache, (operation, key))
            if entry is not None:
                _note(entry.read_at)
                return entry.value
            generation = self._generation.get(customer_id, 0)
        try:
            value = getattr(self.inner, operation)(customer_id, *args)
        except BaseException:
            self._land(operation, key, None, generation)
            raise
        entry = Entry(value, self._clock())
        self._land(operation, key, entry, generation)
        _note(entry.read_at)
        return value

    def _land(self, operation: str, key: tuple[Any, ...], entry: Entry | None, generation: int) -> None:
        """Store the answer and release the waiters in one step, so none of them calls again; an answer
        that a write overtook (the customer's generation moved on) is not stored."""
        with self._condition:
            if entry is not None and self._generation.get(key[0], 0) == generation:
                self._caches[operation][key] = entry
            self._in_flight.discard((operation, key))
            self._condition.notify_all()

    def _wait_for(self, cache: TTLCache[tuple[Any, ...], Entry], flight: tuple[str, tuple[Any, ...]]) -> Entry | None:
        """Under the lock: the cached entry, or None once this thread owns the call for the key."""
        while True:
            entry = cache.get(flight[1])
            if entry is not None:
                return entry
            if flight not in self._in_flight:
                self._in_flight.add(flight)
                return None
            self._condition.wait()

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
                cache = self._caches[operation]
                for key in [key for key in list(cache.keys()) if key[0] == customer_id]:
                    cache.pop(key, None)

    def get_customer(self, customer_id: str) -> Customer:
        return self._read("get_customer", customer_id)

    def list_contracts(self, customer_id: str) -> list[Contract]:
        return self._read("list_contracts", customer_id)

    def get_contract_scan(self, customer_id: str, contract_id: str) -> FileContent:
        return self._read("get_contract_scan", customer_id, contract_id)

    def list_meters(self, customer_id: str, serial_contains: str | None = None) -> list[Meter]:
        return self._read("list_meters", customer_id, serial_contains)

    def list_readings(self, customer_id: str, meter_id: str) -> list[Reading]:
        return self._read("list_readings", customer_id, meter_id)

    def submit_reading(self, customer_id: str, submission: ReadingSubmission) -> WriteReceipt:
        return self._write("submit_reading", customer_id, submission)

    def list_invoices(self, customer_id: str) -> list[InvoiceSummary]:
        return self._read("list_invoices", customer_id)

    def get_invoice(self, customer_id: str, invoice_id: str) -> Invoice:
        return self._read("get_invoice", customer_id, invoice_id)

    def get_invoice_pdf(self, customer_id: str, invoice_id: str) -> FileContent:
        return self._read("get_invoice_pdf", customer_id, invoice_id)

    def get_settlements(self, customer_id: str) -> Settlements:
        return self._read("get_settlements", customer_id)

    def list_documents(self, customer_id: str) -> list[DocumentInfo]:
        return self._read("list_documents", customer_id)

    def get_document(self, customer_id: str, document_id: str) -> FileContent:
        return self._read("get_document", customer_id, document_id)

    def send_message(self, customer_id: str, draft: MessageDraft) -> WriteReceipt:
        return self._write("send_message", customer_id, draft)

    def list_messages(self, customer_id: str) -> list[Message]:
        return self._read("list_messages", customer_id)

    def set_einvoice_consent(self, customer_id: str, enabled: bool, idempotency_key: str) -> WriteReceipt:
        return self._write("set_einvoice_consent", customer_id, enabled, idempotency_key)


def _default_size(operation: str) -> int:
    return FILE_MAX_ENTRIES if operation in FILE_OPERATIONS else DEFAULT_MAX_ENTRIES
