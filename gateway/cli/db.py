"""`flask db …`: create or upgrade the portal's own schema with Alembic migrations.

Alembic is imported only when a command runs: every web worker registers these commands, none migrates.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import Engine, func, select

from gateway.db.database import database_url, engine_of

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# The advisory lock's key on PostgreSQL: any number the portal's database uses for nothing else ("IBOKMIGR").
MIGRATION_LOCK = 0x49424F4B4D494752

db_commands = AppGroup("db", help="Create or upgrade the portal's database (accounts, consents, audit log).")


def alembic_config(app: Flask) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url(app).replace("%", "%%"))
    return config


def upgrade_database(app: Flask, revision: str = "head") -> None:
    """Bring the schema to the newest migration; safe to run on every deploy, from several machines at once."""
    from alembic import command

    config = alembic_config(app)
    engine = engine_of(app)
    with one_upgrade_at_a_time(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends: a second upgrade waits, then finds the schema at head. A lock of
            # the transaction, not of the session, so it holds behind PgBouncer in transaction mode too.
            connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def one_upgrade_at_a_time(engine: Engine) -> Iterator[None]:
    """A SQLite file's upgrades take turns by a lock file beside it; a server's by its advisory lock."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.upgrade-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@db_commands.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Migrate to this revision.")
def upgrade_command(revision: str) -> None:
    """Create the schema in an empty database, or upgrade an existing one."""
    upgrade_database(current_app, revision)
    click.echo(f"database at {revision}: {_safe_url(database_url(current_app))}")


@db_commands.command("current")
def current_command() -> None:
    """Print the revision the database is at, and whether that is the newest."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(current_app)).get_current_head()
    with engine_of(current_app).connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None:
        click.echo("empty database: run `flask --app gateway db upgrade`")
    else:
        click.echo(f"{revision} (head)" if revision == head else f"{revision} (upgrade available to {head})")


def _safe_url(url: str) -> str:
    """The URL without its password, fit to print."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
