"""The demo as the browser tests and `make screenshots` see it: the simulator, the portal, Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Playwright, Response, ViewportSize

from fixtures.simulator.auth import DEMO
from fixtures.simulator.server import HOST, running_simulator

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# Without the background-networking flags Chromium keeps calling Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
DEMO_PASSWORD = "Demo-IBOK-2026"
ONE_TIME_PASSWORD = "Start-IBOK-2026"
START_SECONDS = 30
TIMEOUT_MS = 15_000


class StackError(RuntimeError):
    """Something the browser suite needs is missing or did not start: said loudly, never skipped."""


def require_browser_tools() -> None:
    """Fail with what to run, rather than skip: a suite that silently passes without a browser proves nothing."""
    if not os.access(CHROMIUM, os.X_OK):
        raise StackError(f"Debian's Chromium is not installed at {CHROMIUM}: the browser tests cannot run. "
                         "Run `make test` (it installs it with `apt-get install -y chromium`, as root) "
                         "or install it by hand.")
    if not AXE.is_file():
        raise StackError(f"axe-core is missing ({AXE}): run `npm ci` in tests/e2e (`make test` does it).")


def launch_chromium(playwright: Playwright, language: str | None = None) -> Browser:
    """Debian's Chromium, headless, never a browser downloaded by Playwright. `language` is its own interface's
    (date fields are drawn in it, whatever the page's locale): Chromium reads it from LANGUAGE, and draws only
    those whose translations Debian's chromium-l10n installed."""
    require_browser_tools()
    env: dict[str, str | float | bool] | None = {**os.environ, "LANGUAGE": language} if language else None
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, env=env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _environment(folder: Path, erp_url: str, port: int | None = None) -> dict[str, str]:
    """The demo profile over the simulator's SOAP endpoint, on a database and mail folder of its own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("IBOK_")}
    env.update(
        IBOK_PROFILE="demo", IBOK_ERP_ADAPTER="soap", IBOK_ERP_URL=f"{erp_url}/soap",
        IBOK_ERP_USERNAME=DEMO.username, IBOK_ERP_PASSWORD=DEMO.password,
        IBOK_DATABASE_URL=f"sqlite:///{folder / 'ibok.sqlite'}", IBOK_MAIL_FOLDER=str(folder / "mail"),
        PYTHONWARNINGS="ignore", FLASK_DEBUG="0",
    )
    if port is not None:
        env["IBOK_PORTAL_URL"] = f"http://{HOST}:{port}"
    return env


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "gateway", *args]


def prepare_database(folder: Path, erp_url: str) -> Path:
    """`flask db upgrade` and `flask accounts demo` once; each portal then starts from a copy of this file."""
    folder.mkdir(parents=True, exist_ok=True)
    env = _environment(folder, erp_url)
    for command in (_flask("db", "upgrade"), _flask("accounts", "demo")):
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise StackError(f"{' '.join(command[2:])} failed:\n{done.stdout}\n{done.stderr}")
    return folder / "ibok.sqlite"


@dataclass
class Portal:
    url: str
    folder: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return (self.folder / "portal.log").read_text(errors="replace")


def _wait_until_up(portal: Portal) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if portal.process.poll() is not None:
            raise StackError(f"the portal exited with {portal.process.returncode}:\n{portal.log()}")
        try:
            with urllib.request.urlopen(f"{portal.url}/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise StackError(f"the portal did not answer within {START_SECONDS} s:\n{portal.log()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _start_portal(folder: Path, erp_url: str, attempts: int = 3) -> Portal:
    """A port another program takes between our choosing it and Flask binding it is worth another try."""
    for attempt in range(1, attempts + 1):
        port = free_port()
        with (folder / "portal.log").open("wb") as log:
            process = subprocess.Popen(_flask("run", "--host", HOST, "--port", str(port)), cwd=ROOT,
                                       env=_environment(folder, erp_url, port), stdout=log, stderr=subprocess.STDOUT)
        portal = Portal(f"http://{HOST}:{port}", folder, process)
        try:
            _wait_until_up(portal)
            return portal
        except StackError:
            _stop(process)
            if attempt == attempts or "Address already in use" not in portal.log():
                raise
    raise AssertionError("unreachable")


@contextmanager
def running_portal(folder: Path, erp_url: str, database: Path) -> Iterator[Portal]:
    """`flask run` as `make run` starts it (the demo profile, its in-process outbox), on a free loopback port."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(database, folder / "ibok.sqlite")
    portal = _start_portal(folder, erp_url)
    try:
        yield portal
    finally:
        _stop(portal.process)


def reset_simulator(erp_url: str) -> None:
    """Forget the readings and messages an earlier journey submitted."""
    request = urllib.request.Request(f"{erp_url}/_sim/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=5):
        pass


@contextmanager
def running_demo(folder: Path) -> Iterator[Portal]:
    """The simulator and one portal over it, for `make screenshots`."""
    with running_simulator() as erp_url:
        database = prepare_database(folder / "template", erp_url)
        with running_portal(folder / "portal", erp_url, database) as portal:
            yield portal


@dataclass
class Contexts:
    """Makes browser contexts, notes what goes wrong in them (5xx pages, script errors), closes them."""

    browser: Browser
    opened: list[BrowserContext] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def new(self, viewport: ViewportSize, **options: Any) -> BrowserContext:
        phone = viewport["width"] < 600
        context = self.browser.new_context(
            viewport=viewport, device_scale_factor=1, is_mobile=phone, has_touch=phone, locale="pl-PL",
            timezone_id="Europe/Warsaw", accept_downloads=True, **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("response", self._check_response)
        context.on("console", self._check_console)
        self.opened.append(context)
        return context

    def _check_response(self, response: Response) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.url}")

    def _check_console(self, message: ConsoleMessage) -> None:
        # 4xx pages (a form with errors, the 404 page) are expected; a CSP refusal or a script error is not.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.problems.append(f"console: {message.text}")

    def close(self) -> None:
        for context in self.opened:
            context.close()
