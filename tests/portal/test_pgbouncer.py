"""The portal behind a real PgBouncer in transaction mode: with IBOK_DATABASE_PGBOUNCER it prepares no statement,
so clients that share one server connection never meet each other's."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import psycopg
import pytest
from sqlalchemy import select

from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.db.database import engine_of
from gateway.db.models import Account
from tests.infra.databases import DATABASES, Databases, SchemaTemplates, connections_closed_at_the_end
from tests.infra.pgbouncer import start_pgbouncer
from tests.infra.postgres import database_url
from tests.portal_fixtures import add_account, sign_in

pytestmark = pytest.mark.skipif("postgresql" not in DATABASES, reason="IBOK_TEST_DATABASES leaves PostgreSQL out")


@pytest.fixture(scope="module")
def pgbouncer(postgres_server: str) -> Iterator[str]:
    """PgBouncer with ONE server connection per database: every client's transactions take turns on it."""
    url, stop = start_pgbouncer(postgres_server, server_connections=1)
    yield url
    stop()


@pytest.fixture
def bounced(postgres_server: str, pgbouncer: str, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path,
            smtp_server: Any, billing: Any, schema_templates: SchemaTemplates) -> Iterator[Callable[..., Any]]:
    """bounced(**settings): an app on a new database reached through PgBouncer, its schema at head."""
    databases = Databases(tmp_path_factory, postgres_server, schema_templates)
    name = str(Path(databases.new()).name)
    through = database_url(pgbouncer, name)

    def build(**settings: Any) -> Any:
        app = create_app({"PROFILE": "testing", "DATABASE_URL": through, "MAIL_PORT": smtp_server.port,
                          "MAIL_FOLDER": str(tmp_path / "mail"), **settings}, billing=billing)
        upgrade_database(app)
        return app

    with connections_closed_at_the_end(through):
        yield build
    databases.drop_all()


def _alternate_queries(app: Any, rounds: int = 8) -> list[list[str]]:
    """Two pooled connections at once run the same query in turn, more often than psycopg's prepare threshold."""
    engine = engine_of(app)
    answers = []
    with engine.connect() as first, engine.connect() as second:
        for _ in range(rounds):
            for connection in (first, second):
                answers.append(list(connection.execute(select(Account.login)).scalars()))
                connection.commit()
    return answers


def test_pages_and_queries_work_through_pgbouncer_in_transaction_mode(bounced):
    app = bounced(DATABASE_PGBOUNCER=True)
    add_account(app)
    assert _alternate_queries(app) == [["kowalski"]] * 16
    client = app.test_client()
    assert sign_in(client).status_code == 302
    assert [client.get("/").status_code for _ in range(8)] == [200] * 8


def test_without_the_setting_prepared_statements_collide_on_the_shared_server_connection(bounced):
    """Why IBOK_DATABASE_PGBOUNCER exists: psycopg prepares a statement after 5 runs, under one name per client."""
    app = bounced()
    add_account(app)
    with pytest.raises(Exception) as raised:
        _alternate_queries(app)
    assert isinstance(raised.value.__cause__ or raised.value, psycopg.errors.DuplicatePreparedStatement)
