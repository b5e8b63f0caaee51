"""Alembic's entry point: runs migrations on the connection `flask db upgrade` hands over."""

from alembic import context
from sqlalchemy import Connection, create_engine

import gateway.db.models  # noqa: F401  (registers the tables on Base.metadata)
import gateway.notify.model  # noqa: F401
import gateway.outbox.model  # noqa: F401
import gateway.payments.model  # noqa: F401
from gateway.db.database import Base

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        with create_engine(config.get_main_option("sqlalchemy.url") or "").connect() as own:
            _run(own)
            own.commit()
        return
    _run(connection)


def _run(connection: Connection) -> None:
    # render_as_batch: SQLite can only change a table by copying it.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
