"""`make bench`: start the simulator and the portal under gunicorn on loopback, measure the eight figures of
issue 7 with wrk, write BENCHMARKS.md, and exit 1 if a goal is missed (2 if the bench itself failed).

Environment: BENCH_SOAK_SECONDS (figure 7's soak, default 150; the issue's full soak is 600),
BENCH_SECONDS (length of each wrk run, default 6), BENCH_KEEP=1 keeps the work folder (servers' logs, wrk
scripts, and results.json with every number measured).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

import requests

from adapters.resilience.cached import READ_OPERATIONS
from bench import databases, figures, mapping_figure, notify_run, report, shared_cache
from bench.accounts import SYNTHETIC_PASSWORD, portal_app, sign_in, sign_in_form, synthetic_accounts
from bench.figures import Bench, Figure
from bench.processes import (
    ERP_AUTH,
    ROOT,
    VENV_BIN,
    Service,
    postgres_database,
    start_deliverer,
    start_gunicorn,
    start_simulator,
)
from fixtures.simulator.auth import DEMO
from tests.infra.redis_server import RedisServer

SYNTHETIC_CUSTOMERS = 1000
DEMO_PASSWORD = "Demo-IBOK-2026"  # config/demo.py


def _env_seconds(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def portal_env(workdir: Path, erp_url: str) -> dict[str, str]:
    """The portal's settings in every instance: production defaults, the demo accounts, SOAP to the simulator."""
    return {
        "IBOK_PROFILE": "demo",
        "IBOK_ERP_ADAPTER": "soap",
        "IBOK_ERP_URL": erp_url,
        "IBOK_ERP_USERNAME": DEMO.username,
        "IBOK_ERP_PASSWORD": DEMO.password,
        "IBOK_DATABASE_URL": f"sqlite:///{workdir / 'ibok.sqlite'}",
        "IBOK_SECRET_KEY": secrets.token_urlsafe(48),
        "IBOK_OUTBOX_IN_PROCESS": "false",
        "IBOK_LOG_LEVEL": "WARNING",
    }


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(VENV_BIN / "flask"), "--app", "gateway", *args], cwd=ROOT, env={**os.environ, **env},
                   check=True, stdout=subprocess.DEVNULL)


def config_of(env: dict[str, str]) -> dict[str, Any]:
    """The same settings as create_app's overrides, for the app built in this process."""
    return {key.removeprefix("IBOK_"): value for key, value in env.items()} | {"OUTBOX_IN_PROCESS": False}


def argon2_verify_ms(env: dict[str, str], repeats: int = 10) -> list[float]:
    """The production parameters (config/defaults.py) on one hash, as a sign-in checks it."""
    from gateway.accounts.passwords import Passwords

    app = portal_app(config_of(env))
    hasher = Passwords(app.config)
    stored = hasher.hash(DEMO_PASSWORD)
    hasher.verify(stored, DEMO_PASSWORD)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        hasher.verify(stored, DEMO_PASSWORD)
        times.append((time.perf_counter() - started) * 1000)
    return times


class Run:
    """One bench run: its work folder, the servers it started (stopped at the end), the figures so far."""

    def __init__(self) -> None:
        self.started, self.clock = report.now(), time.monotonic()
        self.load_before = report.load_average()
        self.seconds = _env_seconds("BENCH_SECONDS", 6)
        self.soak = _env_seconds("BENCH_SOAK_SECONDS", 150)
        self.workdir = Path(tempfile.mkdtemp(prefix="ibok-bench-"))
        self.services: list[Service] = []
        self.servers: dict[str, str] = {}
        self.figures: list[Figure] = []

    def gunicorn(self, name: str, app: str, env: dict[str, str], workers: int | None = None) -> Service:
        service = start_gunicorn(name, app, self.workdir, env, workers)
        self.services.append(service)
        shown = " ".join(f"{k}={v}" for k, v in env.items() if k != "IBOK_SECRET_KEY")
        workers_shown = f"GUNICORN_WORKERS={workers} " if workers else ""
        self.servers[name] = f"{shown} {workers_shown}gunicorn -c config/gunicorn.conf.py '{app}'".strip()
        return service

    def setup(self) -> tuple[Bench, dict[str, Service], dict[str, str]]:
        print(f"bench: work folder {self.workdir}", flush=True)
        simulator = start_simulator(self.workdir, SYNTHETIC_CUSTOMERS)
        self.services.append(simulator)
        self.servers["simulator"] = f"SIM_SYNTHETIC_CUSTOMERS={SYNTHETIC_CUSTOMERS} python -m fixtures.simulator"
        figures.scripted_latency(simulator)
        env = portal_env(self.workdir, f"{simulator.url}/soap")
        flask(env, "db", "upgrade")
        flask(env, "accounts", "demo")
        print("bench: creating 1,000 synthetic accounts", flush=True)
        synthetic = synthetic_accounts(portal_app(config_of(env)), SYNTHETIC_CUSTOMERS)
        print("bench: starting gunicorn instances", flush=True)
        portal = self.gunicorn("portal", "gateway:create_app()", env)
        cold_ttl = json.dumps({operation: 0 for operation in READ_OPERATIONS})
        cold = self.gunicorn("cold", "gateway:create_app()", {**env, "IBOK_CACHE_TTL_SECONDS": cold_ttl})
        anchor_data = self.workdir / "anchor-invoices.json"
        listing = requests.get(f"{simulator.url}/api/v1/customers/K-1001/invoices", timeout=30, auth=ERP_AUTH)
        anchor_data.write_bytes(listing.content)
        anchor = self.gunicorn("anchor", "bench.anchor:create_app()", {"BENCH_ANCHOR_DATA": str(anchor_data)})
        single = self.gunicorn("one-worker", "gateway:create_app()", env, workers=1)
        cookie = sign_in(portal.url, "kowalski", DEMO_PASSWORD)
        bench = Bench(self.workdir, simulator, portal, cold, cookie, synthetic,
                      lambda: sign_in(portal.url, "kowalski", DEMO_PASSWORD))
        return bench, {"anchor": anchor, "single": single}, env

    def measure(self) -> None:
        chosen = chosen_figures()
        if chosen and chosen <= {*IN_PROCESS, "11"}:  # figures 10 and 11 need none of the other figures' servers
            if "11" in chosen:
                self.report_step("11", lambda: [self.figure_11()])
            self.in_process(chosen, {})
            return
        bench, extra, env = self.setup()
        anchor, single, seconds = extra["anchor"], extra["single"], self.seconds

        def blackholed(erp_url: str) -> Service:
            return self.gunicorn("blackholed", "gateway:create_app()", {
                **env, "IBOK_ERP_URL": erp_url, "IBOK_ERP_CONNECT_TIMEOUT": "1", "IBOK_ERP_TIMEOUT": "1",
                "IBOK_ERP_DEADLINE": "2", "IBOK_PAGE_DEADLINE": "2", "IBOK_BREAKER_FAIL_MAX": "1000"})

        steps: list[tuple[str, Callable[[], list[Figure]]]] = [
            ("6", lambda: [figures.figure_6(bench, repeats=15)]),
            ("1", lambda: [figures.figure_1(bench, anchor, rounds=3, seconds=seconds)]),
            ("8", lambda: [figures.figure_8(bench, seconds * 1.5, sign_in_form(bench.portal.url), SYNTHETIC_PASSWORD,
                                            lambda: argon2_verify_ms(env))]),
            ("4", lambda: [figures.figure_4(bench, single, _unopened_invoices(bench.simulator))]),
            ("2, 3", lambda: figures.figures_2_and_3(bench, rounds=3, seconds=seconds / 2)),
            ("5", lambda: figures.figure_5(bench, seconds, blackholed)),
            ("7", lambda: [figures.figure_7(bench, 10_000, self.soak)]),
            ("9", lambda: self.figure_9(bench, env)),
            ("9d", lambda: [self.figure_9d(bench, env)]),
            ("11", lambda: [self.figure_11()]),
        ]
        for name, step in steps:
            if chosen and not chosen & set(name.split(", ")):
                continue
            if name == "4":
                anchor.stop()  # done with: its idle workers would still hold memory
            if name == "2, 3":
                single.stop()
            self.report_step(name, step)
        self.in_process(chosen, bench.results)
        figures.dump(bench.results, self.workdir / "results.json")

    def report_step(self, name: str, step: Callable[[], list[Figure]]) -> None:
        print(f"bench: figure {name} … ({time.monotonic() - self.clock:.0f} s)", flush=True)
        for figure in step():
            self.figures.append(figure)
            verdict = "met" if figure.met else "MISSED"
            print(f"  {figure.number}: {figure.measured} → {figure.ratio} [{verdict}]", flush=True)

    def figure_11(self) -> Figure:
        """A simulator with 10,000 customers and a database with an account for each, for this figure alone."""
        simulator = start_simulator(self.workdir, notify_run.CUSTOMERS, log_name="simulator-11.log")
        self.services.append(simulator)
        self.servers["simulator-11"] = (f"SIM_SYNTHETIC_CUSTOMERS={notify_run.CUSTOMERS} python -m fixtures.simulator "
                                        "(figure 11)")
        try:
            figures.scripted_latency(simulator)
            env = notify_run.notify_env(portal_env(self.workdir, simulator.url), self.workdir,
                                        f"{simulator.url}/api/v1")
            flask(env, "db", "upgrade")
            print(f"bench: creating {notify_run.CUSTOMERS:,} accounts with reminders on", flush=True)
            notify_run.subscribed_accounts(config_of(env), notify_run.CUSTOMERS)
            return notify_run.figure_11(simulator, env, self.workdir)
        finally:
            simulator.stop()

    def in_process(self, chosen: set[str], results: dict[str, Any]) -> None:
        """The figures measured in this process alone, on replies the simulators' apps serve."""
        for name, step in IN_PROCESS.items():
            if chosen and name not in chosen:
                continue
            print(f"bench: figure {name} … ({time.monotonic() - self.clock:.0f} s)", flush=True)
            figure = step(results)
            self.figures.append(figure)
            print(f"  {figure.number}: {figure.measured} → {figure.ratio} [{'met' if figure.met else 'MISSED'}]",
                  flush=True)

    def figure_9(self, bench: Bench, env: dict[str, str]) -> list[Figure]:
        """Three one-worker instances, a deliverer and a two-worker instance on one redis-server."""
        redis = RedisServer.start()
        try:
            shared = {**env, "IBOK_CACHE_URL": redis.url}
            instances = [self.gunicorn(f"shared-{n}", "gateway:create_app()", shared, workers=1) for n in (1, 2, 3)]
            two_workers = self.gunicorn("shared", "gateway:create_app()", shared)
            deliverer = start_deliverer("deliverer", self.workdir, shared, interval=0.5)
            self.services.append(deliverer)
            self.servers["deliverer"] = "flask --app gateway outbox run --interval 0.5 (IBOK_CACHE_URL as above)"
            try:
                return shared_cache.figure_9(bench, instances, two_workers, self.seconds)
            finally:
                for service in (*instances, two_workers, deliverer):
                    service.stop()
        finally:
            redis.stop()

    def figure_9d(self, bench: Bench, env: dict[str, str]) -> Figure:
        """A portal like bench.portal on a PostgreSQL server of its own, set up as IT would: migrated, demo
        accounts created."""
        with postgres_database() as database_url:
            on_postgres = {**env, "IBOK_DATABASE_URL": database_url}
            flask(on_postgres, "db", "upgrade")
            flask(on_postgres, "accounts", "demo")
            self.servers["postgres"] = ("PostgreSQL 15 (Debian) started by tests/infra/postgres.py's start_postgres, "
                                        "fsync, synchronous_commit and full_page_writes on")
            portal = self.gunicorn("on-postgres", "gateway:create_app()", on_postgres)
            try:
                return databases.figure_9d(bench, portal, lambda: sign_in(portal.url, "kowalski", DEMO_PASSWORD),
                                           self.seconds)
            finally:
                portal.stop()

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(self.workdir, ignore_errors=True)

    def write(self) -> list[str]:
        order = {"1": 1.0, "2": 2.0, "3": 3.0, "4": 4.0, "5": 5.0, "5b": 5.5, "6": 6.0, "7": 7.0, "8": 8.0,
                 "9a": 9.1, "9b": 9.2, "9c": 9.3, "9d": 9.4, "10": 10.0, "11": 11.0}
        self.figures.sort(key=lambda figure: order[figure.number])
        report.write(ROOT / "BENCHMARKS.md", self.figures, report.machine(), self.servers, self.started,
                     self.load_before, time.monotonic() - self.clock)
        return [figure.number for figure in self.figures if not figure.met]


# Figures that need no servers: measured in the bench's own process.
IN_PROCESS: dict[str, Callable[[dict[str, Any]], Figure]] = {
    "10": lambda results: mapping_figure.figure_10(results, repeats=15),
}
# Figures another one is measured against: figure 8 keeps figure 1's page p95.
NEEDS = {"8": {"1"}}


def chosen_figures() -> set[str]:
    """BENCH_FIGURES=1,8 runs only those figures (while working on one), and those they are measured
    against; empty runs them all."""
    chosen = {part.strip() for part in os.environ.get("BENCH_FIGURES", "").split(",") if part.strip()}
    return chosen.union(*(NEEDS.get(name, set()) for name in chosen))


def main() -> int:
    run = Run()
    try:
        run.measure()
    except Exception:  # noqa: BLE001 (any failure of the bench itself: show it with the servers' logs, exit 2)
        traceback.print_exc()
        for service in run.services:
            print(f"--- {service.log}:\n{service.log.read_text()[-2000:]}", file=sys.stderr)
        return 2
    finally:
        run.stop()
    if chosen_figures():
        missed = [figure.number for figure in run.figures if not figure.met]
        print(f"bench: figures {', '.join(sorted(chosen_figures()))} only, BENCHMARKS.md left as it was; "
              f"goals missed: {', '.join(missed) or 'none'}")
    else:
        missed = run.write()
        print(f"bench: BENCHMARKS.md written; goals missed: {', '.join(missed) or 'none'}")
    return 1 if missed else 0


def _unopened_invoices(simulator: Service) -> list[str]:
    """Two of K-1001's invoices far down the list, whose details no figure opened before."""
    listing = requests.get(f"{simulator.url}/api/v1/customers/K-1001/invoices", timeout=30, auth=ERP_AUTH)
    invoices = listing.json()["invoices"]
    return [invoices[-1]["invoiceId"], invoices[-2]["invoiceId"]]


if __name__ == "__main__":
    sys.exit(main())
