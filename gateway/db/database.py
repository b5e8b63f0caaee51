"""The portal's own database: one engine per app, one SQLAlchemy session per request or command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

EXTENSION_KEY = "database"


class Base(DeclarativeBase):
    """Every table the portal owns: accounts, consents, the audit log, throttling."""


def database_url(app: Flask) -> str:
    """IBOK_DATABASE_URL when set, else a SQLite file in the instance folder."""
    url = app.config.get("DATABASE_URL") or ""
    if url:
        return str(url)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'ibok.sqlite'}"


def init_database(app: Flask) -> None:
    url = make_url(database_url(app))
    # A server (or PgBouncer) can drop an idle connection, so each checkout is tested first; a SQLite file
    # cannot, and the test would double the one query every page makes. A failed statement's error names its
    # values otherwise (an account's e-mail address), and that text reaches the log with the stack trace.
    engine = create_engine(url, pool_pre_ping=url.get_backend_name() != "sqlite", hide_parameters=True,
                           pool_size=int(app.config["DATABASE_POOL_SIZE"]),
                           max_overflow=int(app.config["DATABASE_MAX_OVERFLOW"]),
                           connect_args=_driver_options(app, url.get_backend_name()))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    app.extensions[EXTENSION_KEY] = sessionmaker(engine, expire_on_commit=False)


def _driver_options(app: Flask, backend: str) -> dict[str, Any]:
    """Behind PgBouncer in transaction mode each transaction may get another server connection, where a
    statement psycopg prepared on the last one (it does after 5 runs) is unknown: prepare none."""
    if backend == "postgresql" and app.config.get("DATABASE_PGBOUNCER"):
        return {"prepare_threshold": None}
    return {}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores ON DELETE CASCADE unless asked on every connection. A file is kept in WAL mode:
    every page reads the account while sign-ins, readings and the audit log write, and in SQLite's
    default mode a write locks every reader out until its commit is on disk.
    With WAL, a commit need not wait for the disk's sync to be safe from corruption (synchronous=NORMAL)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_of(app: Flask) -> Engine:
    factory: sessionmaker[Session] = app.extensions[EXTENSION_KEY]
    bind = factory.kw["bind"]
    assert isinstance(bind, Engine)
    return bind


def db() -> Session:
    """The session of the current request or command; closed (and rolled back) when the context ends."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[EXTENSION_KEY]()
    return g.db_session


def close_session(_error: BaseException | None = None) -> None:
    """The context's session closed, so its connection goes back to the pool rolled back."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
