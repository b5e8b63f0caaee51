"""Databases for tests, on SQLite or on the harness's PostgreSQL: a copy of one migrated to head (or empty, for the
tests of the migrations), on PostgreSQL one per module emptied between its tests, and their connections closed after."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Iterator

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool

from tests.infra.emptying import EmptiedDatabase
from tests.infra.postgres import create_database, drop_database

# The backends every database-touching test runs on; `IBOK_TEST_DATABASES=sqlite` for a quicker local round.
DATABASES = [name.strip() for name in os.environ.get("IBOK_TEST_DATABASES", "sqlite,postgresql").split(",")]
_database_numbers = itertools.count(1)
# The session's database at head on PostgreSQL, which each test's database copies.
HEAD_TEMPLATE = f"ibok_head_{os.getpid()}"


def idle_database_url(folder: Path) -> str:
    """For an app whose test never opens the portal's database (`flask erp …`): one URL, on one backend."""
    return f"sqlite:///{folder / 'idle.sqlite'}"


class SchemaTemplates:
    """A database at head per backend, migrated once per session on first use: a test's database is a copy of
    it, which costs PostgreSQL tens of milliseconds where running the migrations cost it half a second."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.postgres: dict[str, str] = {}

    def sqlite_file(self) -> Path:
        """One file holding the whole schema (its write-ahead log folded in), so a byte copy of it is a database."""
        path = self.folder / "head.sqlite"
        if not path.exists():
            _migrate(f"sqlite:///{path}")
            with closing(sqlite3.connect(path)) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return path

    def postgres_database(self, server: str) -> str:
        if server not in self.postgres:
            _migrate(create_database(server, HEAD_TEMPLATE))
            self.postgres[server] = HEAD_TEMPLATE
        return self.postgres[server]


def _migrate(url: str) -> None:
    """The schema at head, by the portal's own `db upgrade`; no connection left open (a template must have none)."""
    from gateway.app import create_app
    from gateway.cli.db import upgrade_database
    from gateway.db.database import engine_of

    app = create_app({"PROFILE": "testing", "DATABASE_URL": url})
    upgrade_database(app)
    engine_of(app).dispose()


class Databases:
    """Databases for a module's tests: a SQLite file each, or a database on the PostgreSQL server."""

    def __init__(self, folders: pytest.TempPathFactory, server: str | None, templates: SchemaTemplates) -> None:
        self.folders, self.server, self.templates = folders, server, templates
        self.made: list[str] = []
        self.shared: EmptiedDatabase | None = None

    def new(self, at_head: bool = True) -> str:
        """The URL of a new database, its schema at head (a copy of the template's) or empty."""
        if self.server is None:
            path = self.folders.mktemp("database") / "ibok.sqlite"
            if at_head:
                shutil.copyfile(self.templates.sqlite_file(), path)
            return f"sqlite:///{path}"
        name = f"ibok_test_{os.getpid()}_{next(_database_numbers)}"
        self.made.append(name)
        return create_database(self.server, name, self.templates.postgres_database(self.server) if at_head else None)

    def for_a_test(self) -> str:
        """A database at head as a new copy would be: a copy on SQLite (a file copy); on PostgreSQL the module's
        own, emptied of the previous test's rows, or a new copy when a test changed its schema."""
        if self.server is None:
            return self.new()
        if self.shared is not None and self.shared.empty():
            return self.shared.url
        self._drop_shared()
        self.shared = EmptiedDatabase(self.new())
        return self.shared.url

    def drop(self, url: str) -> None:
        """Drop a database made here (a server's; a SQLite file goes with its temporary folder)."""
        name = make_url(url).database
        if self.server is not None and name in self.made:
            drop_database(self.server, name)
            self.made.remove(name)

    def drop_all(self) -> None:
        self._drop_shared()
        for name in list(self.made):
            drop_database(str(self.server), name)
        self.made.clear()

    def _drop_shared(self) -> None:
        if self.shared is not None:
            self.shared.close()
            self.drop(self.shared.url)
            self.shared = None


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
