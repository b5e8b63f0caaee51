"""Empty databases for tests, on SQLite or on the harness's PostgreSQL, and their connections closed after."""

from __future__ import annotations

import itertools
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool

from tests.infra.postgres import create_database, drop_database

# The backends every database-touching test runs on; `IBOK_TEST_DATABASES=sqlite` for a quicker local round.
DATABASES = [name.strip() for name in os.environ.get("IBOK_TEST_DATABASES", "sqlite,postgresql").split(",")]
_database_numbers = itertools.count(1)


def idle_database_url(folder: Path) -> str:
    """For an app whose test never opens the portal's database (`flask erp …`): one URL, on one backend."""
    return f"sqlite:///{folder / 'idle.sqlite'}"


class Databases:
    """Empty databases for a module's tests: a SQLite file each, or a database on the PostgreSQL server."""

    def __init__(self, folders: pytest.TempPathFactory, server: str | None) -> None:
        self.folders, self.server = folders, server
        self.made: list[str] = []

    def new(self) -> str:
        """The URL of a new, empty database."""
        if self.server is None:
            return f"sqlite:///{self.folders.mktemp('database') / 'ibok.sqlite'}"
        name = f"ibok_test_{os.getpid()}_{next(_database_numbers)}"
        self.made.append(name)
        return create_database(self.server, name)

    def drop(self, url: str) -> None:
        """Drop a database made here (a server's; a SQLite file goes with its temporary folder)."""
        name = make_url(url).database
        if self.server is not None and name in self.made:
            drop_database(self.server, name)
            self.made.remove(name)

    def drop_all(self) -> None:
        for name in list(self.made):
            drop_database(str(self.server), name)
        self.made.clear()


@contextmanager
def connections_closed_at_the_end(url: str) -> Iterator[None]:
    """Every PostgreSQL connection to the database a pool opens meanwhile is closed at the end: the apps a test
    builds are dropped without disposing of their engines, and psycopg warns of a connection collected open."""
    name = make_url(url).database
    opened: list[Any] = []

    def keep(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, psycopg.Connection) and dbapi_connection.info.dbname == name:
            opened.append(dbapi_connection)

    event.listen(Pool, "connect", keep)
    try:
        yield
    finally:
        event.remove(Pool, "connect", keep)
        for connection in opened:
            connection.close()
