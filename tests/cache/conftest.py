"""A real redis-server for the shared-cache tests, emptied before each test."""

from __future__ import annotations

from typing import Iterator

import pytest
import redis

from tests.infra.redis_server import RedisServer


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The server, running, answering and empty (a test before may have paused or stopped it)."""
    if redis_server.process.poll() is not None:
        redis_server.restart()
    redis_server.resume()
    with redis.Redis.from_url(redis_server.url) as client:
        client.flushdb()
    return redis_server.url
