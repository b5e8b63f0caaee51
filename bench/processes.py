"""What the bench starts and stops: the ERP simulator, gunicorn instances, a blackholed ERP address and a
PostgreSQL server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

import requests

from fixtures.simulator.auth import DEMO
from tests.infra.postgres import create_database, start_postgres

# The simulator's demo account, which the bench's own calls to it sign in with (the portal gets it from the env).
ERP_AUTH = (DEMO.username, DEMO.password)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
# The test harness turns durability off to save the tests time; a bench set against SQLite (which syncs its WAL)
# keeps PostgreSQL's own defaults, as a utility's server would run.
DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    """Until the URL answers 200; a process that died, or a silent one, ends the bench with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited ({process.returncode}); log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s; log:\n{log.read_text()[-3000:]}")


@dataclass
class Service:
    """A started server: its base URL, process and log; stop() ends it and its workers."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def workers(self) -> list[int]:
        """gunicorn's worker processes (children of the master)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(pid) for pid in children.read_text().split()) if children.exists() else []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def start_simulator(workdir: Path, synthetic: int, log_name: str = "simulator.log") -> Service:
    port = free_port()
    log = workdir / log_name
    env = {**os.environ, "SIM_PORT": str(port), "SIM_SYNTHETIC_CUSTOMERS": str(synthetic),
           "SIM_USERNAME": DEMO.username, "SIM_PASSWORD": DEMO.password}
    process = subprocess.Popen([sys.executable, "-m", "fixtures.simulator"], cwd=ROOT, env=env,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    wait_for(f"{url}/_sim/health", process, log, timeout=180)
    return Service("simulator", url, process, log)


def start_gunicorn(name: str, app: str, workdir: Path, env: Mapping[str, str], workers: int | None = None
                   ) -> Service:
    """`gunicorn -c config/gunicorn.conf.py APP` on a free loopback port, as IT would run it: workers and
    threads from that file (one worker per core, 16 threads) unless `workers` is given."""
    port = free_port()
    log = workdir / f"gunicorn-{name}.log"
    full_env = {**os.environ, **env, "GUNICORN_BIND": f"{HOST}:{port}"}
    if workers is not None:
        full_env["GUNICORN_WORKERS"] = str(workers)
    process = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", str(GUNICORN_CONF), app], cwd=ROOT,
                               env=full_env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    wait_for(f"{url}/healthz" if app.startswith("gateway") else f"{url}/invoices/", process, log)
    return Service(name, url, process, log, dict(env))


def start_deliverer(name: str, workdir: Path, env: Mapping[str, str], interval: float) -> Service:
    """`flask outbox run`, as the production deliverer service runs it."""
    log = workdir / f"{name}.log"
    command = [str(VENV_BIN / "flask"), "--app", "gateway", "outbox", "run", "--interval", f"{interval:g}"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT)
    return Service(name, "", process, log, dict(env))


class Blackhole:
    """An address that accepts TCP connections (the kernel completes the handshake) and never answers."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind((HOST, 0))
        self.socket.listen(4096)
        self.url = f"http://{HOST}:{self.socket.getsockname()[1]}"

    def close(self) -> None:
        self.socket.close()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A PostgreSQL 15 server from Debian's packages (the test harness's starter) with an empty database `ibok`:
    its SQLAlchemy URL, the server stopped and removed afterwards."""
    server_url, stop = start_postgres(DURABLE)
    try:
        yield create_database(server_url, "ibok")
    finally:
        stop()
