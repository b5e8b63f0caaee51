"""Which ERP answers a request was served, and how old: so a page can say "data as of …".

A request opens `tracking_reads()`; the cache notes each answer it hands out. Threads started with a
copy of the request's context (gateway/erp/concurrent.py) report into the same list.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

_reads: contextvars.ContextVar[list[Read] | None] = contextvars.ContextVar("ibok_erp_reads", default=None)


@dataclass(frozen=True)
class Read:
    """One answer served: when the ERP gave it, and whether it stood in for an ERP that failed just now."""

    read_at: datetime
    stale: bool = False


@contextlib.contextmanager
def tracking_reads() -> Iterator[list[Read]]:
    reads: list[Read] = []
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


def note_read(read: Read) -> None:
    reads = _reads.get()
    if reads is not None:
        reads.append(read)
