"""Figure 11 (issue 17): `flask notify run` over 10,000 customers against the simulator at 100 ms per ERP call:
ERP calls per customer, the run's time against the floor its rate limit sets, and its peak memory."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import insert, select

from bench.accounts import portal_app
from bench.figures import Figure, clear_calls, erp_calls
from bench.processes import ROOT, VENV_BIN, Service
from fixtures.demo.clones import FIRST_NUMBER, clone_id
from gateway.db.database import db
from gateway.db.models import Account
from gateway.notify.kinds import DUE_SOON, NEW_INVOICE, OVERDUE, REPLY, operations_for
from gateway.notify.model import Subscription

CUSTOMERS = 10_000
# Every e-mail kind but the reading window (its meter list is asked only while a window is open, so the calls per
# customer would depend on the day the bench runs).
KINDS = (NEW_INVOICE, DUE_SOON, OVERDUE, REPLY)
# What IT would set for a run this size (the defaults, 20 calls/s and 4 threads, are for a few thousand customers:
# at 20 calls/s, 30,000 calls take 25 minutes by design).
CALLS_PER_SECOND, THREADS = 100, 16
PEAK_MB_GOAL = 250
TIME_GOAL = 1.25  # × the rate limit's floor


def notify_env(portal_env: Mapping[str, str], workdir: Path, erp_url: str) -> dict[str, str]:
    """The portal's bench settings on a database of its own, REST to the figure's simulator, mail to a folder."""
    return {**portal_env, "IBOK_ERP_ADAPTER": "rest", "IBOK_ERP_URL": erp_url,
            "IBOK_DATABASE_URL": f"sqlite:///{workdir / 'notify.sqlite'}", "IBOK_MAIL_BACKEND": "folder",
            "IBOK_MAIL_FOLDER": str(workdir / "notify-mail"), "IBOK_NOTIFY_ERP_CALLS_PER_SECOND": str(CALLS_PER_SECOND),
            "IBOK_NOTIFY_ERP_THREADS": str(THREADS)}


def subscribed_accounts(config: Mapping[str, Any], count: int) -> None:
    """Accounts for K-2001 … with every kind of KINDS on by e-mail, written in two bulk inserts (they never sign
    in, so they share one unusable password hash)."""
    app = portal_app(config)
    with app.app_context():
        numbers = range(FIRST_NUMBER, FIRST_NUMBER + count)
        db().execute(insert(Account), [
            {"login": f"n{number}", "customer_id": clone_id(number), "email": f"n{number}@example.com",
             "password_hash": "!", "password_is_one_time": False, "session_version": 1, "locked": False}
            for number in numbers])
        ids = db().scalars(select(Account.id).where(Account.login.like("n%"))).all()
        db().execute(insert(Subscription), [{"account_id": account_id, "kind": kind} for account_id in ids
                                            for kind in KINDS])
        db().commit()


def timed_run(env: Mapping[str, str], log: Path) -> tuple[float, float, str]:
    """`flask notify run` in a process of its own: seconds, peak resident memory (MB, from the kernel's
    accounting of that one child) and the command's summary line."""
    command = [str(VENV_BIN / "flask"), "--app", "gateway", "notify", "run"]
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=out,
                                   stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"figure 11: flask notify run exited {process.returncode}: {log.read_text()[-500:]}")
    summary = next((line for line in reversed(log.read_text().splitlines()) if "reminders sent" in line), "")
    return seconds, usage.ru_maxrss / 1024, summary


def figure_11(simulator: Service, env: Mapping[str, str], workdir: Path) -> Figure:
    """One run over every customer; the ERP's calls counted by the simulator."""
    clear_calls(simulator)
    seconds, peak_mb, summary = timed_run(env, workdir / "notify-run.log")
    calls = erp_calls(simulator)
    total = sum(calls.values())
    per_customer = total / CUSTOMERS
    needed = len(operations_for(set(KINDS)))
    floor = total / CALLS_PER_SECOND
    return Figure(
        "11", f"`flask notify run` over {CUSTOMERS:,} customers (every e-mail kind but the reading window on), "
              "100 ms per ERP call, REST",
        f"the rate limit's floor: {total:,} calls ÷ {CALLS_PER_SECOND} calls/s = {floor:.0f} s",
        f"{per_customer:.2f} ERP calls per customer ({', '.join(f'{k} {v:,}' for k, v in sorted(calls.items()))}); "
        f"{seconds:.0f} s; peak RSS {peak_mb:.0f} MB",
        f"{seconds / floor:.2f}× the floor",
        f"≤ {needed} calls per customer (each read its kinds need, once); time ≤ {TIME_GOAL}× the floor; "
        f"peak RSS ≤ {PEAK_MB_GOAL} MB",
        per_customer <= needed and seconds <= TIME_GOAL * floor and peak_mb <= PEAK_MB_GOAL,
        [f"IBOK_NOTIFY_ERP_CALLS_PER_SECOND={CALLS_PER_SECOND} IBOK_NOTIFY_ERP_THREADS={THREADS} "
         "flask --app gateway notify run"],
        [f"A simulator of its own with SIM_SYNTHETIC_CUSTOMERS={CUSTOMERS}, every operation delayed 100 ms; "
         f"{CUSTOMERS:,} accounts with {len(KINDS)} kinds on each, written directly; the run's batches of "
         "NOTIFY_BATCH_SIZE accounts ask the ERP from a pool of threads, every call waiting its turn at the rate "
         "limit. Peak memory from the kernel's accounting of the run's own process (wait4). The command said: "
         f"{summary}"],
    )
