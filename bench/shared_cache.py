"""Figure 9 (issue 16): three portal instances sharing one Redis. ERP calls for one cold key across them,
time from a write's delivery to every instance showing it, and the cached invoice list through Redis
against the in-process cache (figure 1's page)."""

from __future__ import annotations

import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.accounts import USER_AGENT
from bench.figures import (
    CONCURRENT_USERS,
    Bench,
    Figure,
    _get,
    alternating,
    clear_calls,
    erp_calls,
    median_p95,
    pooled_rps,
    scripted_latency,
    set_fault,
    warm,
)
from bench.processes import ERP_AUTH, Service

INSTANCES = 3
COLD_REQUESTS = 99  # 33 an instance, released together
WRITES = 5
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def figure_9(bench: Bench, shared: list[Service], shared_two_workers: Service, seconds: float, rounds: int = 3
             ) -> list[Figure]:
    """`shared`: INSTANCES portals of one worker each on one Redis, a deliverer beside them; `shared_two_workers`:
    a portal configured like bench.portal (two workers) but on the same Redis."""
    return [_cold_key(bench, shared), _delivered_to_shown(bench, shared),
            _throughput(bench, shared_two_workers, seconds, rounds)]


def _cold_key(bench: Bench, instances: list[Service]) -> Figure:
    """99 requests at once for an invoice's details, spread over the instances: the ERP calls they cost."""
    listing = requests.get(f"{bench.simulator.url}/api/v1/customers/K-1001/invoices", timeout=30, auth=ERP_AUTH).json()
    invoice_id = listing["invoices"][0]["invoiceId"]
    barrier = threading.Barrier(COLD_REQUESTS)

    def one(n: int) -> int:
        barrier.wait()
        return _get(f"{instances[n % len(instances)].url}/invoices/{invoice_id}", bench.cookie, timeout=60)[0]

    set_fault(bench.simulator, "*", "latency", 0.5)  # long enough that every request overlaps the first call
    try:
        clear_calls(bench.simulator)
        with ThreadPoolExecutor(COLD_REQUESTS) as pool:
            statuses = list(pool.map(one, range(COLD_REQUESTS)))
        calls = erp_calls(bench.simulator)
    finally:
        scripted_latency(bench.simulator)
    details, lists = calls.get("get_invoice", 0), calls.get("list_invoices", 0)
    bench.results["figure_9a"] = {"statuses": sorted(set(statuses)), "calls": calls}
    return Figure(
        "9a", f"{COLD_REQUESTS} concurrent requests for one cold key (an invoice's details) spread over "
              f"{len(instances)} instances sharing Redis",
        "figure 4: with each process's own cache, 1 ERP call per process",
        f"{details} get_invoice call(s); {lists} list_invoices call(s) (the ownership check's list)",
        f"{details} call for {len(instances)} instances",
        "exactly 1 ERP call across the cluster",
        details == 1 and lists == 1 and set(statuses) == {200},
        ["99 threads released together by a barrier, each request to instance n mod 3; calls counted by the "
         "simulator (GET /_sim/calls)"],
        ["Each instance a gunicorn with one worker, IBOK_CACHE_URL pointing at one redis-server; the ERP answers "
         "after 0.5 s so that every request arrives while the first call is in flight."],
    )


def _browser(bench: Bench, base: str) -> tuple[requests.Session, str]:
    """kowalski's session and the message form's CSRF token."""
    browser = requests.Session()
    browser.headers["User-Agent"] = USER_AGENT
    browser.cookies.set("ibok_session", bench.renew_cookie())
    found = CSRF.search(browser.get(f"{base}/messages/new", timeout=30).text)
    if found is None:
        raise RuntimeError("figure 9b: no CSRF token on the message form")
    return browser, found.group(1)


def _delivered_to_shown(bench: Bench, instances: list[Service]) -> Figure:
    """A message sent through one instance: from the ERP holding it to every instance opening its page."""
    browser, token = _browser(bench, instances[0].url)
    waits: list[float] = []
    for n in range(WRITES):
        for instance in instances:  # each has the message list cached before the write
            browser.get(f"{instance.url}/messages/", timeout=30).raise_for_status()
        subject = f"Pomiar {n} {uuid.uuid4().hex[:8]}"
        sent = browser.post(f"{instances[n % len(instances)].url}/messages/new", allow_redirects=False, timeout=30,
                            data={"csrf_token": token, "kind": "inquiry", "subject": subject,
                                  "body": "Proszę o informację.", "premise_id": "", "invoice_id": "",
                                  "idempotency_key": str(uuid.uuid4())})
        if sent.status_code != 302:
            raise RuntimeError(f"figure 9b: the message form answered {sent.status_code}")
        message_id, delivered = _at_the_erp(bench, subject)
        waits.append(max(_shown(browser, instance, message_id) for instance in instances) - delivered)
    worst = max(waits)
    bench.results["figure_9b"] = {"seconds": waits}
    return Figure(
        "9b", f"a write delivered by a separate deliverer (`flask outbox run`), shown by every one of "
              f"{len(instances)} instances",
        "the goal",
        f"worst {worst:.2f} s, median {statistics.median(waits):.2f} s over {WRITES} messages",
        f"{worst:.2f} s",
        "≤ 1 s from delivery to every instance",
        worst <= 1.0,
        ["messages sent through the form; the ERP polled every 20 ms for the message, then each instance's "
         "message page until it opens (its ownership check reads the cached list)"],
        ["Measured from the moment the simulator holds the message, an upper bound of the delivery; before each "
         "write every instance has the message list cached."],
    )


def _at_the_erp(bench: Bench, subject: str, seconds: float = 30.0) -> tuple[str, float]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = requests.get(f"{bench.simulator.url}/api/v1/customers/K-1001/messages", timeout=10,
                              auth=ERP_AUTH).json()
        found = [message["messageId"] for message in answer["messages"] if message["subject"] == subject]
        if found:
            return str(found[0]), time.monotonic()
        time.sleep(0.02)
    raise RuntimeError(f"figure 9b: the message did not reach the ERP within {seconds:g} s")


def _shown(browser: requests.Session, instance: Service, message_id: str, seconds: float = 30.0) -> float:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if browser.get(f"{instance.url}/messages/{message_id}", timeout=30).status_code == 200:
            return time.monotonic()
        time.sleep(0.02)
    raise RuntimeError(f"figure 9b: {instance.name} did not show the message within {seconds:g} s")


def _throughput(bench: Bench, shared: Service, seconds: float, rounds: int) -> Figure:
    """Figure 1's page through Redis against the same page from each process's memory, interleaved."""
    warm(shared, bench.cookie, "/invoices/")
    warm(bench.portal, bench.cookie, "/invoices/")
    runs = alternating("/invoices/", {"redis": (shared, lambda: bench.headers(bench.renew_cookie())),
                                      "in-process": (bench.portal, bench.headers)},
                       bench.lua("plain", ""), rounds, seconds, "9c")
    rps, p95 = pooled_rps(runs), median_p95(runs)
    ratio = rps["redis"] / rps["in-process"]
    bench.results["figure_9c"] = {"rps": rps, "p95_ms": p95}
    return Figure(
        "9c", f"signed-in invoice list from the cache in Redis (figure 1's page), {CONCURRENT_USERS} users",
        f"the same page from each process's own cache: {rps['in-process']:.0f} req/s, p95 {p95['in-process']:.0f} ms",
        f"{rps['redis']:.0f} req/s, p95 {p95['redis']:.0f} ms",
        f"{ratio:.2f}× req/s",
        "≥ 0.7× the in-process cache's req/s",
        ratio >= 0.7,
        [runs["redis"][0].command],
        [f"{rounds} rounds of {seconds:g} s each, alternating; both instances with the same two workers and the "
         "same settings but IBOK_CACHE_URL; req/s pooled over the rounds."],
    )
