"""A module's PostgreSQL database, shared by its tests: each test finds it as a new copy at head would be."""

from __future__ import annotations

from typing import Iterator

import psycopg
import pytest
from alembic.script import ScriptDirectory

from tests.infra.databases import Databases, SchemaTemplates
from tests.infra.postgres import ROOT, libpq_url

# The revision a database at head names: the newest migration's.
HEAD = ScriptDirectory(str(ROOT / "gateway" / "migrations")).get_current_head()

ACCOUNT = ("INSERT INTO accounts (login, customer_id, email, locked, session_version, password_hash, "
           "password_is_one_time, password_set_at, created_at) "
           "VALUES ('kowalski', 'K-1001', 'jan.kowalski@example.com', false, 1, 'h', false, now(), now())")
# A row that refers to the account: the tables empty whatever their foreign keys.
CONSENT = ("INSERT INTO consents (account_id, document, version, granted, recorded_at) "
           "SELECT id, 'regulamin_ibok', '2026-01', true, now() FROM accounts WHERE login = 'kowalski'")


@pytest.fixture
def databases(postgres_server: str, tmp_path_factory: pytest.TempPathFactory,
              schema_templates: SchemaTemplates) -> Iterator[Databases]:
    made = Databases(tmp_path_factory, postgres_server, schema_templates)
    yield made
    made.drop_all()


def _run(url: str, statement: str) -> list[tuple]:
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def test_the_next_test_finds_no_rows_ids_from_one_and_no_connection_left(databases):
    url = databases.for_a_test()
    _run(url, ACCOUNT)
    _run(url, CONSENT)
    assert _run(url, "SELECT count(*) FROM consents") == [(1,)]
    left_open = psycopg.connect(libpq_url(url))
    try:
        assert databases.for_a_test() == url
        assert _run(url, "SELECT count(*) FROM consents") == [(0,)]
        _run(url, ACCOUNT)
        assert _run(url, "SELECT id FROM accounts") == [(1,)]
        assert _run(url, "SELECT version_num FROM alembic_version") == [(HEAD,)]
        with pytest.raises(psycopg.OperationalError):
            left_open.execute("SELECT 1")
    finally:
        left_open.close()


def test_a_test_that_changed_the_schema_leaves_the_next_a_new_copy(databases):
    url = databases.for_a_test()
    _run(url, "ALTER TABLE accounts ADD COLUMN nickname text")
    again = databases.for_a_test()
    assert again != url
    assert ("nickname",) not in _run(again, "SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = 'accounts'")
