"""Real processes for the nginx and cluster tests: portals under gunicorn and `flask outbox run` deliverers.

Each is started as IT would start it (config/gunicorn.conf.py, IBOK_ variables), on a free loopback port,
with its log in the test's folder.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import requests

from tests.infra.processes import end, free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
DEMO_PASSWORD = "Demo-IBOK-2026"
START_SECONDS = 60
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class StackError(RuntimeError):
    """A process of the stack did not start or answer."""


def environment(folder: Path, **settings: str) -> dict[str, str]:
    """The demo profile's accounts and key, the outbox run by deliverers, one trusted proxy; then `settings`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("IBOK_", "GUNICORN_"))}
    env.update(
        IBOK_PROFILE="demo", IBOK_OUTBOX_IN_PROCESS="false", IBOK_PROXY_FIX_X_FOR="1", IBOK_PROXY_FIX_X_PROTO="1",
        IBOK_MAIL_FOLDER=str(folder / "mail"), PYTHONWARNINGS="ignore", FLASK_DEBUG="0",
        GUNICORN_WORKERS="1", GUNICORN_THREADS="8",
    )
    env.update(settings)
    return env


def flask(env: Mapping[str, str], *args: str) -> str:
    """One `flask --app gateway …` command, as IT runs it; its output, or StackError with it."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "gateway", *args], cwd=ROOT, env=dict(env),
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise StackError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Process:
    """A started process and its log; `address` is host:port for a portal."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    address: str = ""

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL to the process and, for gunicorn, its workers: a machine that died."""
        for pid in (*self._children(), self.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(10)

    def stop(self) -> None:
        """SIGINT: gunicorn's quick shutdown (SIGTERM would wait for idle keep-alive connections); KeyboardInterrupt
        for a deliverer."""
        end(self.process, signal.SIGINT, seconds=15)

    def pause(self) -> None:
        """SIGSTOP: the process holds what it holds and does nothing until `resume`."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def _children(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _spawn(name: str, command: list[str], env: Mapping[str, str], folder: Path, address: str = "") -> Process:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=output, stderr=subprocess.STDOUT)
    return Process(name, process, log, address)


def start_portal(name: str, env: Mapping[str, str], folder: Path, address: str = "") -> Process:
    """gunicorn with config/gunicorn.conf.py on the address (else a free port), answering /healthz."""
    portal = spawn_portal(name, env, folder, address)
    wait_until_answering(portal)
    return portal


def spawn_portal(name: str, env: Mapping[str, str], folder: Path, address: str = "") -> Process:
    """The portal's gunicorn started, not yet answering (several start at once, then `wait_until_answering`)."""
    address = address or f"127.0.0.1:{free_port()}"
    settings = {**env, "GUNICORN_BIND": address, "GUNICORN_ACCESSLOG": str(folder / f"{name}.access.log")}
    command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "gateway:create_app()"]
    return _spawn(name, command, settings, folder, address)


def start_deliverer(name: str, env: Mapping[str, str], folder: Path, interval: float = 0.2) -> Process:
    command = [sys.executable, "-m", "flask", "--app", "gateway", "outbox", "run", "--interval", str(interval)]
    return _spawn(name, command, env, folder)


def wait_until_answering(portal: Process) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if portal.process.poll() is not None:
            raise StackError(f"{portal.name} exited with {portal.process.returncode}:\n{portal.text()[-3000:]}")
        try:
            if requests.get(f"{portal.url}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.1)
    raise StackError(f"{portal.name} did not answer within {START_SECONDS} s:\n{portal.text()[-3000:]}")


def csrf_token(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise StackError("no CSRF token on the page")
    return found.group(1)


def signed_in(base: str, login: str, verify: str | bool = True) -> requests.Session:
    """A browser's session signed in as a demo customer through `base` (a portal or nginx)."""
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace `verify`
    session.verify = verify
    form = session.get(f"{base}/sign-in", timeout=10)
    answer = session.post(f"{base}/sign-in", timeout=30, allow_redirects=False, headers={"Referer": form.url}, data={
        "csrf_token": csrf_token(form.text), "login": login, "password": DEMO_PASSWORD})
    if answer.status_code != 302:
        raise StackError(f"sign-in as {login} answered {answer.status_code}")
    return session
