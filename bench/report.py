"""BENCHMARKS.md: the machine, the commands, and the table of figures with their anchors and goals."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping

from bench.figures import Figure
from bench.load import WRK


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    wrk = subprocess.run([WRK, "--version"], capture_output=True, text=True, check=False)
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{int(memory) / 1024 / 1024:.1f} GiB",
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
        "wrk": (wrk.stdout or wrk.stderr or "wrk").splitlines()[0].split(" Copyright")[0],
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write(path: Path, figures: Iterable[Figure], info: Mapping[str, str], servers: Mapping[str, str],
          started: datetime, load_before: str, seconds: float) -> None:
    figures = list(figures)
    met = sum(figure.met for figure in figures)
    lines = [
        "# Benchmarks",
        "",
        "What the portal costs, measured against the ceilings of its own stack (issue 7). Written by "
        "`make bench` (`bench/`); do not edit by hand. Each figure is measured side by side with its anchor in "
        "the same run and given as a ratio, because the machine is shared and absolute times drift.",
        "",
        f"**Run** {started.strftime('%Y-%m-%d %H:%M UTC')}, {seconds / 60:.1f} min; "
        f"**goals met: {met} of {len(figures)}**.",
        "",
        "## The machine",
        "",
        f"- CPU: {info['cpu']}; memory {info['memory']}; {info['system']}",
        f"- Python {info['python']}; {info['wrk']}",
        f"- Load average (1, 5, 15 min) before the run: {load_before}; after: {load_average()} — the machine is "
        "shared with other work, which shows in absolute times and most in tail latencies.",
        "",
        "## The figures",
        "",
        "| # | figure | anchor (same run) | measured | ratio | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for figure in figures:
        lines.append("| " + " | ".join(_cell(part) for part in (
            figure.number, figure.title, figure.anchor, figure.measured, figure.ratio, figure.goal,
            "yes" if figure.met else "**no**")) + " |")
    lines += ["", "## How each figure was measured", ""]
    for figure in figures:
        lines.append(f"**{figure.number}.** " + " ".join(figure.notes))
        lines.append("")
        lines += [f"    {command}" for command in figure.commands]
        lines.append("")
    lines += [
        "## Reading the figures",
        "",
        "- Figures 1 and 8 load the portal with 20 connections and no pause between requests: the server is "
        "saturated, so latency is mostly queueing (p95 ≈ 20 / throughput × the tail). The anchor's p95 in the same "
        "run shows what that means on this machine; CPU per request, taken from the workers' own counters, is the "
        "steadiest comparison when other work shares the cores.",
        "- Where a cached invoice list's CPU goes (cProfile and py-spy on one process, November 2026, about "
        "0.8 ms in all against the anchor's 0.53 ms): about 0.2 ms the signed-in request itself (the session "
        "cookie, the account's session version read from the database, the timeouts, the security headers), "
        "about 0.45 ms the page, about 0.1 ms the view (63 invoices filtered, sorted and paged). Under gunicorn "
        "the portal pays more than the anchor for its threads: SQLite lets go of the interpreter three "
        "times per query, another thread takes it each time, and the handovers cost about 0.15 ms of system "
        "time per page (strace: futex calls; without the query, 0.41 → 0.24 ms).",
        "- What brought it there from 4.9 ms (each found with py-spy or cProfile, each a change to the product, "
        "each on the libraries' public APIs since issue 12): templates compiled once per language with their "
        "constant texts already translated by a Jinja extension (`gateway/web/templating.py`); the invoice list's "
        "content rendered once per ERP answer, customer, language and filter by a `{% cache %}` tag "
        "(`gateway/web/fragments.py`); the layout's fixed parts (head, menu per page, footer) rendered once per "
        "language by a `{% layoutcache %}` tag; a page without a query given its defaults without marshmallow "
        "(`gateway/web/query.py`); the menu's and the layout's links built once "
        "(`gateway/web/links.py`); the account read in one Core query and made an `Account` without the ORM's "
        "load (`gateway/web/sessions.py`); the session cookie re-signed only when the last-seen time moves (30 s "
        "steps); Flask-Login's unused session protection off; a database pool as large as the request threads; "
        "the security headers added in one go; request ids drawn without a system call (`gateway/web/logs.py`); "
        "and cheaper date and money filters. Figure 8 needed three more: "
        "passwords are hashed on two low-priority threads per process; SQLite runs in WAL mode, so a "
        "sign-in's writes no longer lock every page's reads out; and sixteen threads per worker instead of "
        "eight, since sign-ins waiting for their hash held most of eight and pages queued behind them (page "
        "p95 in the mix 28-64 ms with eight, 11-17 ms with sixteen). Figure 7 keeps its room for those "
        "threads because equal dates in ERP answers are one object (`adapters/wire/schemas.SharedDate`): "
        "customers' answers repeat the same billing days (about 6 MB per worker here).",
        "- Figure 3's anchor is one call; the start page makes six at once, and the simulator (one Python process) "
        "writes their answers one after another, which its own time for the six, shown beside, includes.",
        "- Figure 7's soak is shortened to keep `make bench` short (figure 11 alone takes five minutes); memory is "
        "measured again every sixth of it, and the growth is from the end of the 10,000 requests to the end of the "
        "soak.",
        "",
        "## The commands",
        "",
        "    make bench        # installs wrk (Debian) if missing, then .venv/bin/python -m bench.run",
        "",
        "The servers, all on loopback, started by `bench/processes.py`:",
        "",
    ]
    lines += [f"- **{name}**: `{command}`" for name, command in servers.items()]
    lines += [
        "",
        "The ERP is the reference simulator (`python -m fixtures.simulator`) with `SIM_SYNTHETIC_CUSTOMERS=1000` "
        "and every operation delayed 100 ms (`POST /_sim/faults {\"operation\": \"*\", \"mode\": \"latency\", "
        "\"value\": 0.1}`) unless a figure says otherwise. The portal speaks SOAP to it, with the production "
        "defaults of `config/defaults.py` (caching, breakers, argon2id at 19 MiB, t=2) and the demo profile for "
        "the demo accounts. `BENCH_SOAK_SECONDS` sets figure 7's soak; `BENCH_KEEP=1` keeps the work folder "
        "with the servers' logs and `results.json`, every number measured; `BENCH_FIGURES=1,8` runs only those "
        "figures and prints them, leaving this file as it is (for working on one figure).",
        "",
    ]
    path.write_text("\n".join(lines))


def now() -> datetime:
    return datetime.now(timezone.utc)
