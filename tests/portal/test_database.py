"""The portal's own database: created and upgraded by `flask db upgrade`, migrations matching the models."""

from __future__ import annotations

import runpy
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.pool import QueuePool

from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.db.database import Base, database_url, engine_of

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


def test_migrations_build_exactly_the_models_schema(app):
    with engine_of(app).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.empty_database
def test_db_upgrade_creates_the_schema_and_is_safe_to_repeat(config, billing):
    app = create_app(config, billing=billing)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert f"database at head: {config['DATABASE_URL']}" in first.output
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    tables = set(inspect(engine_of(app)).get_table_names())
    assert {"accounts", "consents", "audit_log", "throttle", "alembic_version"} <= tables


def test_db_current_names_the_revision(app):
    result = app.test_cli_runner().invoke(args=["db", "current"])
    assert result.exit_code == 0 and "0013 (head)" in result.output


@pytest.mark.empty_database
def test_outbox_rows_kept_before_0003_get_their_topic_and_attachment_size(config, billing):
    app = create_app(config, billing=billing)
    upgrade_database(app, "0002")
    message = ('{"kind": "complaint", "subject": "S", "body": "B", "premise_id": null, "invoice_id": null, '
               '"attachments": [{"filename": "a.pdf", "content_type": "application/pdf", "content": "JVBERi0xLjQ="}]}')
    reading = '{"meter_id": "M-7", "date": "2026-11-30", "value": "12.5", "note": ""}'
    insert = text("INSERT INTO outbox (kind, customer_id, idempotency_key, summary, payload, status, attempts, "
                  "next_attempt_at, created_at) VALUES (:kind, 'K-1001', :key, 's', :payload, 'pending', 0, "
                  "'2026-12-01 10:00:00', '2026-12-01 10:00:00')")
    with engine_of(app).begin() as connection:
        connection.execute(insert, {"kind": "message", "key": "k1", "payload": message})
        connection.execute(insert, {"kind": "reading", "key": "k2", "payload": reading})
        connection.execute(insert, {"kind": "einvoice_consent", "key": "k3", "payload": '{"enabled": true}'})
    upgrade_database(app)
    with engine_of(app).connect() as connection:
        rows = connection.execute(text("SELECT kind, topic, attachment_bytes FROM outbox ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [("message", "complaint", 8), ("reading", "M-7", 0),
                                            ("einvoice_consent", None, 0)]


@pytest.mark.sqlite_only(reason="the default when no URL is set")
def test_the_default_database_is_sqlite_in_the_instance_folder(config, billing):
    app = create_app({**config, "DATABASE_URL": ""}, billing=billing)
    assert database_url(app) == f"sqlite:///{app.instance_path}/ibok.sqlite"


def test_a_printed_url_hides_its_password():
    from gateway.cli.db import _safe_url

    assert _safe_url("postgresql+psycopg://ibok:s3cret@db/ibok") == "postgresql+psycopg://ibok:***@db/ibok"


def test_deleting_an_account_deletes_its_consents(app, make_account):
    from sqlalchemy import func, select

    from gateway.db.database import db
    from gateway.db.models import Account, ConsentRecord

    make_account()
    with app.app_context():
        db().delete(db().scalar(select(Account)))
        db().commit()
        assert db().scalar(select(func.count()).select_from(ConsentRecord)) == 0


def test_building_the_app_leaves_alembic_and_zxcvbn_unimported():
    """Every web worker builds the app; only `flask db …` needs Alembic, only setting a password zxcvbn's lists."""
    import subprocess
    import sys

    script = ("import sys; from gateway import create_app; create_app({'TESTING': True}); "
              "print('alembic' in sys.modules or 'zxcvbn' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={"IBOK_PROFILE": "testing", "PATH": ""})
    assert done.stdout.strip() == "False"


@pytest.mark.sqlite_only(reason="SQLite's pragmas")
def test_a_sqlite_file_is_kept_in_wal_mode_so_writes_never_lock_readers_out(app):
    with engine_of(app).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.sqlite_only(reason="WAL mode; PostgreSQL's readers never wait for writers")
def test_a_reader_is_not_blocked_while_a_write_is_open(app, make_account):
    make_account()
    engine = engine_of(app)
    with engine.connect() as writer, engine.connect() as reader:
        writer.exec_driver_sql("BEGIN EXCLUSIVE")  # in the default journal mode, readers wait here
        writer.exec_driver_sql("UPDATE accounts SET email = 'x@example.com'")
        started = time.monotonic()
        assert reader.exec_driver_sql("SELECT count(*) FROM accounts").scalar() == 1
        assert time.monotonic() - started < 0.5
        writer.exec_driver_sql("ROLLBACK")


def test_the_pool_keeps_a_connection_for_every_request_thread(config, billing):
    """Beyond the pool's size each page would open a connection, read the schema and close it again."""
    app = create_app({**config, "DATABASE_POOL_SIZE": 9}, billing=billing)
    pool = engine_of(app).pool
    assert isinstance(pool, QueuePool) and pool.size() == 9
    threads = runpy.run_path(str(GUNICORN_CONF))["threads"]
    assert create_app(config, billing=billing).config["DATABASE_POOL_SIZE"] >= threads + 1
