"""A real PostgreSQL 15 from Debian's packages in a temporary directory: started for the tests, then removed.

No pytest here: the suite's fixtures and the multi-process cluster test both start a server with `start_postgres()`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
DEBIAN_BINDIR = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"
START_ATTEMPTS = 3
# Durability buys nothing in a throw-away cluster; a test's commit need not wait for a disk.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresError(RuntimeError):
    """The test server could not be installed, initialised or started."""


def start_postgres(settings: dict[str, str] | None = None) -> tuple[str, Callable[[], None]]:
    """A server on a free loopback port; returns its SQLAlchemy URL (the `postgres` database) and a stop function.

    `settings` are server settings (`max_connections`, …) on top of the fast, non-durable ones."""
    bindir = postgres_bindir()
    folder = Path(tempfile.mkdtemp(prefix="ibok-pg-", dir="/tmp"))
    # initdb refuses to run as root: the server runs as Debian's `postgres` user, which must own the folder.
    _give_to_server_user(folder)
    try:
        _run(bindir, "initdb", "-D", str(folder / "data"), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync")
        port = _start_on_a_free_port(bindir, folder, {**FAST_SETTINGS, **(settings or {})})
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres", _stopper(bindir, folder)


def postgres_bindir() -> Path:
    """Debian's PostgreSQL 15 binaries (not on PATH), installed with apt-get when missing, as Chromium is."""
    if not (DEBIAN_BINDIR / "initdb").exists():
        install_servers()
    return DEBIAN_BINDIR


def install_servers() -> None:
    """scripts/install-postgres: PostgreSQL 15 and PgBouncer from Debian, each when missing."""
    done = subprocess.run(["bash", str(ROOT / "scripts" / "install-postgres")], capture_output=True, text=True)
    if done.returncode != 0:
        raise PostgresError(done.stderr or done.stdout)


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """A new database on the server (a copy of `template` when given); returns its URL."""
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
    _execute(server_url, statement)
    return database_url(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    """Drop a database even while a test's pool still holds connections to it."""
    _execute(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url(server_url: str, name: str) -> str:
    """The URL of another database on the same server."""
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL in the form libpq and psycopg take (no `+psycopg`)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _execute(server_url: str, statement: sql.Composed) -> None:
    with psycopg.connect(libpq_url(server_url), autocommit=True) as connection:
        connection.execute(statement)


def _give_to_server_user(folder: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(folder, SUPERUSER, SUPERUSER)
    folder.chmod(0o700)


def _run(bindir: Path, program: str, *args: str) -> None:
    command = [str(bindir / program), *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", SUPERUSER, "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise PostgresError(f"{program} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def _start_on_a_free_port(bindir: Path, folder: Path, settings: dict[str, str]) -> int:
    """A port another program takes between our choosing it and the server binding it is worth another try."""
    for attempt in range(1, START_ATTEMPTS + 1):
        port = free_port()
        options = [f"-h 127.0.0.1 -p {port} -k {folder}", *(f"-c {name}={value}" for name, value in settings.items())]
        try:
            _run(bindir, "pg_ctl", "-D", str(folder / "data"), "-l", str(folder / "server.log"), "-w", "-t", "60",
                 "-o", " ".join(options), "start")
            return port
        except PostgresError:
            if attempt == START_ATTEMPTS or "already in use" not in _log(folder):
                raise PostgresError(f"PostgreSQL did not start:\n{_log(folder)}") from None
            time.sleep(0.1)
    raise AssertionError("unreachable")


def _stopper(bindir: Path, folder: Path) -> Callable[[], None]:
    def stop() -> None:
        """Stop the server (active connections are ended) and remove its files; safe to call twice."""
        if (folder / "data" / "postmaster.pid").exists():
            _run(bindir, "pg_ctl", "-D", str(folder / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)

    return stop


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _log(folder: Path) -> str:
    log = folder / "server.log"
    return log.read_text(errors="replace") if log.exists() else ""
