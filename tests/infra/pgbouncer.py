"""A real PgBouncer from Debian's package in transaction mode, in front of the harness's PostgreSQL, for tests.

No pytest here, as in tests/infra/postgres.py: `start_pgbouncer(server_url)` returns a URL and a stop function.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

import psycopg
from sqlalchemy.engine import make_url

from tests.infra.postgres import SUPERUSER, PostgresError, free_port, install_servers, libpq_url

PGBOUNCER = Path("/usr/sbin/pgbouncer")
START_SECONDS = 20


def start_pgbouncer(server_url: str, server_connections: int = 2) -> tuple[str, Callable[[], None]]:
    """PgBouncer on a free loopback port in transaction mode, sharing `server_connections` server connections per
    database among its clients; returns `server_url` through it (same database and user) and a stop function."""
    if not PGBOUNCER.exists():
        install_servers()
    folder = Path(tempfile.mkdtemp(prefix="ibok-pgbouncer-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(folder, SUPERUSER, SUPERUSER)
    server = make_url(server_url)
    port = free_port()
    (folder / "users.txt").write_text(f'"{server.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(_configuration(folder, server.host or "127.0.0.1", server.port or 5432,
                                                         port, server_connections))
    command = [str(PGBOUNCER), str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command = ["runuser", "-u", SUPERUSER, "--", *command]  # PgBouncer refuses to run as root
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = server.set(port=port).render_as_string(hide_password=False)
    stop = _stopper(process, folder)
    try:
        _wait_until_up(url, process, folder)
    except BaseException:
        stop()
        raise
    return url, stop


def _configuration(folder: Path, host: str, server_port: int, port: int, server_connections: int) -> str:
    return f"""[databases]
* = host={host} port={server_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
pool_mode = transaction
default_pool_size = {server_connections}
max_client_conn = 200
logfile = {folder / "pgbouncer.log"}
pidfile = {folder / "pgbouncer.pid"}
"""


def _wait_until_up(url: str, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with psycopg.connect(libpq_url(url), connect_timeout=2) as connection:
                connection.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            time.sleep(0.05)
    log = folder / "pgbouncer.log"
    raise PostgresError(f"PgBouncer did not start:\n{log.read_text(errors='replace') if log.exists() else ''}")


def _stopper(process: subprocess.Popen[bytes], folder: Path) -> Callable[[], None]:
    def stop() -> None:
        """SIGTERM ends PgBouncer at once, closing its clients' connections; then its files go."""
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)

    return stop
