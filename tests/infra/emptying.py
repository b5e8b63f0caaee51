"""A PostgreSQL database that a module's tests share, emptied between them: tables truncated, sequences restarted,
every other connection ended, so each test starts as on a fresh copy of the schema at head."""

from __future__ import annotations

import psycopg
from psycopg import sql

from tests.infra.postgres import libpq_url

# Ends what a test left connected (a killed server's sessions), as DROP DATABASE … WITH (FORCE) did.
_END_OTHER_CONNECTIONS = sql.SQL(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid()")
# TRUNCATE, not DELETE: a table truncated is a new empty file, so rows come back in the order they are written,
# as on a fresh copy; after DELETE a vacuum lets new rows fill the old ones' space, and a query without ORDER BY
# (tests/hostile/test_people_throttle.py once) saw them out of order. All tables at once: foreign keys hold.
_TRUNCATE_ALL = sql.SQL("TRUNCATE {tables} RESTART IDENTITY")
# Columns of every table, index and sequence, and the migration revision: a test that changed the schema changes it.
_SCHEMA = sql.SQL(
    "SELECT md5(string_agg(c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' "
    "ORDER BY c.relname, a.attnum)) || coalesce((SELECT string_agg(version_num, ',') FROM alembic_version), '') "
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped")


class EmptiedDatabase:
    """One database at head, reused by a module's tests: truncating its tables costs PostgreSQL tens of
    milliseconds where copying the template and dropping the copy cost it about 150."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.connection = psycopg.connect(libpq_url(url), autocommit=True)
        tables = self.connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version' "
            "ORDER BY tablename").fetchall()
        names = sql.SQL(", ").join(sql.Identifier(name) for (name,) in tables)
        self.emptying = sql.SQL("; ").join([_END_OTHER_CONNECTIONS, _TRUNCATE_ALL.format(tables=names), _SCHEMA])
        self.schema = self._schema()

    def empty(self) -> bool:
        """Empty the database for the next test; False when it cannot be (a test changed its schema)."""
        try:
            cursor = self.connection.execute(self.emptying)
            while cursor.nextset():
                pass
            row = cursor.fetchone()
        except psycopg.Error:
            return False
        return row is not None and row[0] == self.schema

    def close(self) -> None:
        self.connection.close()

    def _schema(self) -> str:
        row = self.connection.execute(_SCHEMA).fetchone()
        assert row is not None
        return str(row[0])
