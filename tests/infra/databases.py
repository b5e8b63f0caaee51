"""Databases for tests, on SQLite or on the harness's PostgreSQL: each a copy of one migrated to head (or empty,
for the tests of the migrations), and their connections closed after."""

from __future__ import annotations

import itertools
import os
import sqlite3
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
        path = self.folder / "head.sqlite"
        if not path.exists():
            _migrate(f"sqlite:///{path}")
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

    def new(self, at_head: bool = True) -> str:
        """The URL of a new database, its schema at head (a copy of the template's) or empty."""
        if self.server is None:
            path = self.folders.mktemp("database") / "ibok.sqlite"
            if at_head:
                with sqlite3.connect(self.templates.sqlite_file()) as source, sqlite3.connect(path) as copy:
                    source.backup(copy)
            return f"sqlite:///{path}"
        name = f"ibok_test_{os.getpid()}_{next(_database_numbers)}"
        self.made.append(name)
        return create_database(self.server, name, self.templates.postgres_database(self.server) if at_head else None)

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
