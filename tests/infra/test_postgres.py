"""The test harness's PostgreSQL: a real server that starts, answers, copies databases and leaves nothing behind."""

from __future__ import annotations

import socket
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.infra.postgres import create_database, drop_database, libpq_url, start_postgres


def _port_refuses(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_a_started_server_is_postgresql_15_with_the_settings_asked_for_and_stops_without_a_trace():
    url, stop = start_postgres({"max_connections": "42"})
    port = make_url(url).port or 5432
    try:
        with psycopg.connect(libpq_url(url)) as connection:
            row = connection.execute(
                "SELECT current_setting('server_version_num'), current_setting('max_connections'), "
                "current_setting('data_directory')").fetchone()
    finally:
        stop()
    assert row is not None
    version, connections, data = row
    assert version.startswith("15") and connections == "42"
    assert _port_refuses(port) and not Path(data).exists()
    stop()  # a second call is harmless


def test_a_database_made_from_a_template_has_its_tables_and_drops_while_connected(postgres_server):
    template = create_database(postgres_server, "harness_template")
    with psycopg.connect(libpq_url(template), autocommit=True) as connection:
        connection.execute("CREATE TABLE kept (value text)")
    copy = create_database(postgres_server, "harness_copy", template="harness_template")
    held = psycopg.connect(libpq_url(copy))
    try:
        assert held.execute("SELECT count(*) FROM kept").fetchone() == (0,)
        drop_database(postgres_server, "harness_copy")
        with pytest.raises(psycopg.OperationalError):
            held.execute("SELECT 1")
    finally:
        held.close()
        drop_database(postgres_server, "harness_template")
