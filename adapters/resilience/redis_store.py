"""RedisStore: CachedBilling's answers kept in Redis, shared by every portal process and deliverer.

Every key starts with the portal's prefix and the customer id; every key has a time to live (the
operation's for fresh answers, the stale lifetime for the last good ones), so nothing personal outlives it.
Values are JSON (codec.py), never pickles. A per-customer index set per operation lets a write drop exactly
that customer's keys; storing and dropping are Lua scripts, so an answer a write overtook is never stored.
The per-key lock is redis-py's (SET NX PX with a token). Any Redis failure is StoreUnavailable at once:
short socket timeouts and no retries, so fallback.py can switch to the process's own store.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any, Iterator, Mapping
from urllib.parse import quote

import redis
from cachetools import LRUCache
from redis.backoff import NoBackoff
from redis.retry import Retry

from adapters.core.errors import ErpUnavailable
from adapters.resilience import codec
from adapters.resilience.stores import (
    DEFAULT_TTLS,
    FAILURE_TTL_SECONDS,
    STALE_TTL_SECONDS,
    CacheStore,
    Entry,
    Failures,
    Key,
    StoreUnavailable,
)

log = logging.getLogger(__name__)

# KEYS: generation, fresh, stale, index; ARGV: the generation read before the call, the value, fresh and stale ms.
_SET = """
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return 0 end
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[4])
redis.call('SADD', KEYS[4], KEYS[2], KEYS[3])
redis.call('PEXPIRE', KEYS[4], ARGV[4])
return 1
"""
# KEYS: generation, then one index per operation; ARGV: the generation's lifetime in ms.
_EVICT = """
for i = 2, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', KEYS[i])
end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
"""
# Waiters poll a held lock this often (redis-py's default is 0.1 s).
LOCK_POLL_SECONDS = 0.02
# Answers this process decoded last, handed out again while Redis holds the same bytes: the same record
# objects, so the page fragments kept per answer (gateway/web/fragments.py) are found again, and no decoding.
DECODED_KEPT = 256


def connect(url: str, timeout: float, max_connections: int = 50) -> redis.Redis:
    """A client whose every command gives up after `timeout` seconds, without retrying."""
    pool = redis.BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=timeout, socket_timeout=timeout,
        socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0), health_check_interval=30,
    )
    return redis.Redis(connection_pool=pool)


@contextlib.contextmanager
def _answering() -> Iterator[None]:
    """Redis's failures as StoreUnavailable, naming only their kind (keys hold customer ids)."""
    try:
        yield
    except redis.RedisError as error:
        raise StoreUnavailable(type(error).__name__) from error


class RedisStore(CacheStore):
    """The shared store; `lock_seconds` bounds both how long a cold key's call holds its lock and how
    long others wait for it (then they call the ERP themselves)."""

    def __init__(
        self,
        client: redis.Redis,
        ttl: Mapping[str, float] | None = None,
        stale_ttl: float = STALE_TTL_SECONDS,
        lock_seconds: float = 35.0,
        prefix: str = "ibok:",
    ) -> None:
        self.client = client
        self._ttl = {**DEFAULT_TTLS, **(ttl or {})}
        self._stale_ms = int(stale_ttl * 1000)
        self._lock_seconds = lock_seconds
        self._prefix = prefix
        self._set = client.register_script(_SET)
        self._evict = client.register_script(_EVICT)
        self._decoded: LRUCache[str, tuple[bytes | str, Entry]] = LRUCache(maxsize=DECODED_KEPT)
        self._decoded_guard = threading.Lock()

    def _name(self, customer_id: str, kind: str, operation: str = "", args: tuple[Any, ...] = ()) -> str:
        """The customer id first (escaped, so no id can reach into another's keys), then what the key holds."""
        name = f"{self._prefix}{quote(str(customer_id), safe='')}:{kind}"
        return f"{name}:{operation}:{codec.dumps(list(args))}" if operation else name

    def _entry(self, name: str) -> Entry | None:
        with _answering():
            payload = self.client.get(name)
        if payload is None:
            return None
        with self._decoded_guard:
            known = self._decoded.get(name)
        if known is not None and known[0] == payload:
            return known[1]
        try:
            read_at, value = codec.loads(payload)
        except (codec.UnreadableEntry, ValueError):
            log.warning("shared cache: an unreadable entry was ignored")
            return None
        entry = Entry(value, read_at)
        with self._decoded_guard:
            self._decoded[name] = (payload, entry)
        return entry

    def get(self, operation: str, key: Key) -> Entry | None:
        return self._entry(self._name(key[0], "fresh", operation, key[1:]))

    def get_stale(self, operation: str, key: Key) -> Entry | None:
        return self._entry(self._name(key[0], "stale", operation, key[1:]))

    def set(self, operation: str, key: Key, entry: Entry, generation: int) -> None:
        customer_id, args = key[0], key[1:]
        names = [self._name(customer_id, "generation"), self._name(customer_id, "fresh", operation, args),
                 self._name(customer_id, "stale", operation, args), self._name(customer_id, "index", operation)]
        payload = codec.dumps([entry.read_at, entry.value])
        with _answering():
            self._set(keys=names, args=[generation, payload, int(self._ttl[operation] * 1000), self._stale_ms])

    def generation(self, customer_id: str) -> int:
        with _answering():
            return int(self.client.get(self._name(customer_id, "generation")) or 0)

    def failures(self, operation: str, key: Key) -> Failures:
        with _answering():
            count, message = self.client.hmget(self._name(key[0], "failures", operation, key[1:]), "count", "message")
        if count is None:
            return Failures()
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message or "")
        return Failures(int(count), ErpUnavailable(operation, text))

    def add_failure(self, operation: str, key: Key, failure: ErpUnavailable) -> None:
        name = self._name(key[0], "failures", operation, key[1:])
        with _answering(), self.client.pipeline() as pipe:
            pipe.hincrby(name, "count", 1)
            pipe.hset(name, "message", failure.message)
            pipe.pexpire(name, int(FAILURE_TTL_SECONDS * 1000))
            pipe.execute()

    def evict(self, customer_id: str, operations: frozenset[str]) -> None:
        names = [self._name(customer_id, "generation")]
        names += [self._name(customer_id, "index", operation) for operation in sorted(operations)]
        with _answering():
            self._evict(keys=names, args=[self._stale_ms])

    @contextlib.contextmanager
    def lock(self, operation: str, key: Key) -> Iterator[None]:
        """Across processes; a holder that dies frees the key after `lock_seconds`."""
        held = self.client.lock(self._name(key[0], "lock", operation, key[1:]), timeout=self._lock_seconds,
                                sleep=LOCK_POLL_SECONDS, blocking_timeout=self._lock_seconds,
                                raise_on_release_error=False)
        with _answering():
            acquired = held.acquire()
        try:
            yield
        finally:
            if acquired:
                self._release(held)

    @staticmethod
    def _release(held: Any) -> None:
        """A lost release only delays the next caller until the lock's time to live ends."""
        try:
            held.release()
        except redis.RedisError as error:
            log.warning("shared cache: a lock was not released (%s)", type(error).__name__)

    def state(self) -> str:
        with _answering():
            self.client.ping()
        return "redis"
