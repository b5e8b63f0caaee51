"""Records kept by the bytes they were read from: an ERP answer that has not changed since the last time is
neither parsed nor validated again, and comes back as the same objects, so the pages' fragment cache (which
knows records by identity) still holds. Answers mostly repeat: a cached one expires, the ERP says it again."""

from __future__ import annotations

import hashlib
import threading
from typing import Callable, Hashable, TypeVar

from cachetools import LRUCache

from adapters.wire.http import HttpReply

T = TypeVar("T")
# The last answer per customer, operation and arguments; records are frozen, so sharing them is safe.
ANSWERS_KEPT = 512


class ReplyMemo:
    """One process's last good answers, each under its request's key with a digest of the reply it came from."""

    def __init__(self, size: int = ANSWERS_KEPT) -> None:
        self.kept: LRUCache[Hashable, tuple[bytes, object]] = LRUCache(maxsize=size)
        self.lock = threading.Lock()

    def load(self, key: tuple[Hashable, ...], reply: HttpReply, parse: Callable[[], T]) -> T:
        """The records `parse` made of these very bytes last time, else `parse`'s (an error is never kept)."""
        digest = _digest(reply)
        with self.lock:
            found = self.kept.get(key)
        if found is not None and found[0] == digest:
            return found[1]  # type: ignore[return-value]
        value = parse()
        with self.lock:
            self.kept[key] = (digest, value)
        return value


def _digest(reply: HttpReply) -> bytes:
    """Status and media type count too: the same bytes under another status are another answer."""
    hashed = hashlib.blake2b(reply.content, digest_size=16)
    hashed.update(f"{reply.status} {reply.content_type}".encode())
    return hashed.digest()


REPLY_MEMO = ReplyMemo()
