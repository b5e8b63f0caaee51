"""Figure 9d (issue 16): the same signed-in page with the portal's own database on PostgreSQL against SQLite."""

from __future__ import annotations

from typing import Callable

from bench.figures import CONCURRENT_USERS, Bench, Figure, alternating, median_p95, pooled_rps, warm
from bench.processes import Service

# The issue sets no goal. Below half, two machines on PostgreSQL would serve fewer of these pages than one on
# SQLite, and the README's advice to move to several machines with PostgreSQL would be wrong.
FLOOR = 0.5


def figure_9d(bench: Bench, postgres: Service, sign_in: Callable[[], str], seconds: float, rounds: int = 3
              ) -> Figure:
    """Figure 1's page from a portal on PostgreSQL against figure 1's portal on SQLite, interleaved round by round.
    `sign_in` gives a fresh cookie of kowalski's on the PostgreSQL portal (its accounts are its own)."""
    cookie = sign_in()
    warm(postgres, cookie, "/invoices/")
    warm(bench.portal, bench.cookie, "/invoices/")
    runs = alternating("/invoices/", {"postgres": (postgres, lambda: bench.headers(sign_in())),
                                      "sqlite": (bench.portal, lambda: bench.headers(bench.renew_cookie()))},
                       bench.lua("plain", ""), rounds, seconds, "9d")
    rps, p95 = pooled_rps(runs), median_p95(runs)
    ratio = rps["postgres"] / rps["sqlite"]
    bench.results["figure_9d"] = {"rps": rps, "p95_ms": p95}
    return Figure(
        "9d", f"signed-in invoice list from each process's cache (figure 1's page) with the portal's database on "
              f"PostgreSQL 15, {CONCURRENT_USERS} users",
        f"the same page on SQLite (figure 1's portal): {rps['sqlite']:.0f} req/s, p95 {p95['sqlite']:.0f} ms",
        f"{rps['postgres']:.0f} req/s, p95 {p95['postgres']:.0f} ms",
        f"{ratio:.2f}× req/s; p95 {p95['postgres'] / p95['sqlite']:.1f}× SQLite's",
        f"none set by the issue (informational); floor ≥ {FLOOR:g}× req/s",
        ratio >= FLOOR,
        [runs["postgres"][0].command],
        ["Figure 1's page rather than 9c's: with the ERP answers in each process's memory, the one thing a "
         "request waits on is the portal's own database (the account's row, read on every signed-in request to "
         "check its session version), so the difference is the database's alone; 9c's would add a Redis round "
         "trip to both sides. PostgreSQL 15 from Debian's packages, started by the test harness "
         "(tests/infra/postgres.py) with its default durability (fsync and synchronous_commit on), migrated with "
         "`flask db upgrade`, demo accounts from `flask accounts demo`; both portals with the same two workers "
         "and settings but IBOK_DATABASE_URL. "
         f"{rounds} rounds of {seconds:g} s each, alternating; req/s pooled over the rounds, p95 the median of "
         "the rounds' p95. The issue sets no goal: the floor is the ratio below which two machines on PostgreSQL "
         "would serve fewer of these pages than one on SQLite, and the README's advice to move to PostgreSQL "
         "with several machines would be wrong."],
    )
