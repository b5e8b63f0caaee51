"""The eight figures of issue 7, each measured beside its anchor in the same run.

Every function returns a Figure: what was measured, against what, the ratio, the goal and whether it was
met, and the commands that produced it. Loads come from wrk; a few correctness checks (figures 4 and 5b)
fire their requests from threads here, since they count answers rather than measure throughput.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import requests

from adapters.core.errors import ErpError
from adapters.core.settings import ErpSettings
from adapters.rest.billing import RestBilling
from adapters.soap.billing import SoapBilling
from adapters.wire.http import ErpHttp, HttpReply
from adapters.wire.memo import REPLY_MEMO
from bench import load
from bench.accounts import USER_AGENT
from bench.processes import ERP_AUTH, Blackhole, Service, rss_mb
from fixtures.demo.clones import FIRST_NUMBER
from fixtures.simulator.auth import DEMO

ERP_LATENCY = 0.1  # seconds the simulator adds to every call
SOAP_ACTION = "urn:ibok:erp:v1#"
CONCURRENT_USERS = 20
NAV_PAGES = ("/", "/contracts/", "/meters/", "/readings/", "/invoices/", "/settlements/", "/downloads/",
             "/messages/", "/settings/")


@dataclass
class Figure:
    number: str
    title: str
    anchor: str
    measured: str
    ratio: str
    goal: str
    met: bool
    commands: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Bench:
    """What the figures share: the servers, the signed-in cookies, where to write scripts."""

    workdir: Path
    simulator: Service
    portal: Service
    cold: Service
    cookie: str  # kowalski (K-1001, 63 invoices), signed in through the form
    synthetic_cookies: list[str]
    sign_in_again: Callable[[], str]  # a new cookie for kowalski, through the form
    scripts: dict[str, Path] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)

    def lua(self, name: str, text: str) -> Path:
        if name not in self.scripts:
            self.scripts[name] = load.script(self.workdir, name, text)
        return self.scripts[name]

    def renew_cookie(self) -> str:
        """A cookie as fresh as a browser's: wrk replays one cookie and never takes the re-signed one the
        portal sends when the last-seen time moves (every 30 s), so an old one would be re-signed on every
        request. Taken before each load run of the cached pages."""
        self.cookie = self.sign_in_again()
        return self.cookie

    def headers(self, cookie: str | None = None) -> list[str]:
        return [f"User-Agent: {USER_AGENT}", f"Cookie: ibok_session={cookie or self.cookie}"]


# --- the simulator's controls ----------------------------------------------------------------------

def set_fault(simulator: Service, operation: str, mode: str, value: float = 0.0) -> None:
    requests.delete(f"{simulator.url}/_sim/faults", timeout=10).raise_for_status()
    requests.post(f"{simulator.url}/_sim/faults", json={"operation": operation, "mode": mode, "value": value},
                  timeout=10).raise_for_status()


def scripted_latency(simulator: Service) -> None:
    """The bench's normal ERP: every operation answers after ERP_LATENCY seconds."""
    set_fault(simulator, "*", "latency", ERP_LATENCY)


def erp_calls(simulator: Service) -> dict[str, int]:
    return dict(requests.get(f"{simulator.url}/_sim/calls", timeout=10).json()["calls"])


def clear_calls(simulator: Service) -> None:
    requests.delete(f"{simulator.url}/_sim/calls", timeout=10).raise_for_status()


def worker_cpu_seconds(service: Service) -> float:
    """User + system CPU of the service's workers so far (clock ticks of /proc/<pid>/stat)."""
    total = 0
    for pid in service.workers():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / 100.0


def _get(url: str, cookie: str, timeout: float = 30) -> tuple[int, float, str]:
    started = time.monotonic()
    answer = requests.get(url, headers={"User-Agent": USER_AGENT}, cookies={"ibok_session": cookie},
                          timeout=timeout, allow_redirects=False)
    return answer.status_code, time.monotonic() - started, answer.text


def warm(service: Service, cookie: str, path: str, times: int = 40) -> None:
    """Requests from several connections, so every worker has the page's ERP answers cached."""
    with ThreadPoolExecutor(8) as pool:
        for status, _, _ in pool.map(lambda _: _get(service.url + path, cookie), range(times)):
            if status != 200:
                raise RuntimeError(f"{service.name}{path}: HTTP {status} while warming up")


def alternating(path: str, sides: Mapping[str, tuple[Service, Callable[[], list[str]]]], lua: Path, rounds: int,
                seconds: float, figure: str) -> dict[str, list[load.Run]]:
    """The same page loaded on each side in turn, round after round, so the machine's other load falls on both
    alike; each side's headers are asked for just before its run (a fresh cookie, see Bench.renew_cookie)."""
    runs: dict[str, list[load.Run]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, (service, headers) in sides.items():
            run = load.wrk(f"{service.url}{path}", connections=CONCURRENT_USERS, threads=2, seconds=seconds,
                           lua=lua, headers=headers())
            if run.result["bad_status"] or run.result["errors"]:
                raise RuntimeError(f"figure {figure}, {name}: {run.result}")
            runs[name].append(run)
    return runs


def pooled_rps(runs: Mapping[str, list[load.Run]]) -> dict[str, float]:
    """Requests per second over all of a side's rounds together."""
    return {name: sum(r.result["requests"] for r in rs) / sum(r.result["duration_us"] for r in rs) * 1e6
            for name, rs in runs.items()}


def median_p95(runs: Mapping[str, list[load.Run]]) -> dict[str, float]:
    """The median of a side's rounds' p95, in ms: one disturbed round does not move it."""
    return {name: statistics.median(r.ms("p95") for r in rs) for name, rs in runs.items()}


# --- figure 1 ---------------------------------------------------------------------------------------

def figure_1(bench: Bench, anchor: Service, rounds: int, seconds: float) -> Figure:
    """The cached invoice list against the anchor app, interleaved round by round."""
    warm(bench.portal, bench.cookie, "/invoices/")
    warm(anchor, bench.cookie, "/invoices/")
    lua = bench.lua("plain", "")
    runs: dict[str, list[load.Run]] = {"portal": [], "anchor": []}
    cpu: dict[str, list[float]] = {"portal": [], "anchor": []}
    for _ in range(rounds):
        bench.renew_cookie()
        for name, service, headers in (("portal", bench.portal, bench.headers()), ("anchor", anchor, [])):
            before = worker_cpu_seconds(service)
            run = load.wrk(f"{service.url}/invoices/", connections=CONCURRENT_USERS, threads=2, seconds=seconds,
                           lua=lua, headers=headers)
            cpu[name].append((worker_cpu_seconds(service) - before) / run.result["requests"] * 1000)
            runs[name].append(run)
            if run.result["bad_status"] or run.result["errors"]:
                raise RuntimeError(f"figure 1, {name}: {run.result}")
    rps = {name: sum(r.result["requests"] for r in rs) / sum(r.result["duration_us"] for r in rs) * 1e6
           for name, rs in runs.items()}
    p95 = {name: statistics.median(r.ms("p95") for r in rs) for name, rs in runs.items()}
    cpu_ms = {name: statistics.median(values) for name, values in cpu.items()}
    ratio = rps["portal"] / rps["anchor"]
    bench.results["figure_1"] = {"rps": rps, "p95_ms": p95, "cpu_ms_per_request": cpu_ms}
    return Figure(
        "1", f"signed-in invoice list (K-1001, 63 invoices, page of 20) from cache, {CONCURRENT_USERS} users",
        f"minimal Flask app, same HTML from a dict: {rps['anchor']:.0f} req/s, p95 {p95['anchor']:.0f} ms, "
        f"{cpu_ms['anchor']:.2f} ms CPU/request",
        f"{rps['portal']:.0f} req/s, p95 {p95['portal']:.0f} ms, {cpu_ms['portal']:.2f} ms CPU/request",
        f"{ratio:.2f}× req/s; p95 {p95['portal'] / p95['anchor']:.1f}× the anchor's; "
        f"CPU/request {cpu_ms['portal'] / cpu_ms['anchor']:.1f}×",
        "≥ 0.5× req/s, p95 ≤ 50 ms",
        ratio >= 0.5 and p95["portal"] <= 50,
        [runs["portal"][0].command, runs["anchor"][0].command],
        [f"{rounds} rounds of {seconds:g} s each, portal and anchor alternating; req/s pooled over the rounds, "
         "p95 the median of the rounds' p95. CPU/request: the workers' user+system CPU time over the requests "
         "served (from /proc), which the machine's other load disturbs less than wall-clock times."],
    )


# --- figures 2 and 3 --------------------------------------------------------------------------------

def soap_envelope(bench: Bench, operation: str, **params: str) -> Path:
    """The envelope SoapBilling sends for one call (the port method's arguments in order), written by the same
    zeep client and caught before it leaves."""
    http = EnvelopeHttp()
    port = SoapBilling(ErpSettings(url=f"{bench.simulator.url}/soap"), http=http)
    with contextlib.suppress(ErpError):
        getattr(port, operation)(*params.values())
    path = bench.workdir / f"{operation}.xml"
    path.write_bytes(http.sent)
    return path


class EnvelopeHttp(ErpHttp):
    """Keeps the body of the request it is given and answers nothing."""

    def __init__(self) -> None:
        super().__init__(ErpSettings(url="http://erp.invalid"), session=requests.Session())
        self.sent = b""

    def send(self, operation: str, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> HttpReply:
        self.sent = kwargs["data"]
        return HttpReply(204, {}, b"")


def figures_2_and_3(bench: Bench, rounds: int, seconds: float) -> list[Figure]:
    """Sequential requests (one connection) on the portal whose every ERP answer expires at once."""
    envelope = soap_envelope(bench, "list_invoices", customerId="K-1001")
    post = bench.lua("post_file", load.POST_FILE)
    plain = bench.lua("plain", "")
    warm(bench.cold, bench.cookie, "/", times=4)  # the meter list is then known from an earlier answer
    medians: dict[str, list[float]] = {"erp": [], "one": [], "start": []}
    commands: dict[str, str] = {}
    for _ in range(rounds):
        erp = load.wrk(f"{bench.simulator.url}/soap", connections=1, threads=1, seconds=seconds, lua=post,
                       args=[str(envelope), SOAP_ACTION + "ListInvoices"], headers=[f"Authorization: {DEMO.header()}"],
                       shown_args=["list_invoices.xml", SOAP_ACTION + "ListInvoices"])
        one = load.wrk(f"{bench.cold.url}/invoices/", connections=1, threads=1, seconds=seconds, lua=plain,
                       headers=bench.headers())
        start = load.wrk(f"{bench.cold.url}/", connections=1, threads=1, seconds=seconds, lua=plain,
                         headers=bench.headers())
        for name, run in (("erp", erp), ("one", one), ("start", start)):
            if run.result["bad_status"] or run.result["errors"]:
                raise RuntimeError(f"figures 2/3, {name}: {run.result}")
            medians[name].append(run.ms("p50"))
            commands[name] = run.command
    erp_ms, one_ms, start_ms = (statistics.median(medians[k]) for k in ("erp", "one", "start"))
    first_visits = _first_visits(bench)
    start_erp_ms = _start_page_calls_at_once(bench)
    overhead = one_ms - erp_ms
    bench.results["figures_2_3"] = {"erp_ms": erp_ms, "one_call_page_ms": one_ms, "start_page_ms": start_ms,
                                    "first_visit_start_page_ms": first_visits, "start_page_erp_ms": start_erp_ms}
    two = Figure(
        "2", "overhead of a page on a cache miss (invoice list: one list_invoices call, SOAP, 63 invoices)",
        f"the simulator's own answer to that call, posted directly: median {erp_ms:.1f} ms "
        f"({ERP_LATENCY * 1000:.0f} ms scripted latency)",
        f"page median {one_ms:.1f} ms; page − ERP = {overhead:.1f} ms",
        f"{one_ms / erp_ms:.2f}× the ERP's time",
        "median page time − ERP time ≤ 15 ms",
        overhead <= 15,
        [commands["erp"], commands["one"]],
        ["The portal runs with every ERP answer expiring at once (CACHE_TTL_SECONDS 0 for all reads), so "
         "each request goes through the cache, the breaker, zeep, the schemas and the template."],
    )
    three = Figure(
        "3", "start page: 4 ERP calls + the last reading of each active meter (K-1001: 2), 100 ms each",
        f"a page needing one such call (the invoice list): median {one_ms:.1f} ms",
        f"median {start_ms:.1f} ms (first visit, meter list not known yet: {first_visits:.0f} ms); the simulator "
        f"answering the page's 6 calls posted at once takes {start_erp_ms:.0f} ms by itself",
        f"{start_ms / one_ms:.2f}×",
        "≤ 1.3×",
        start_ms / one_ms <= 1.3,
        [commands["start"]],
        ["Cache miss on every call, as in figure 2. The meter list is known from an earlier answer (the cache "
         "keeps the last good answer 24 h for serving stale), so the readings start in the first round; the "
         "first visit of a customer to a worker still needs two rounds (shown in brackets, not a goal)."],
    )
    return [two, three]


def _start_page_calls_at_once(bench: Bench, rounds: int = 5) -> float:
    """The ERP's own time for the start page's six calls sent together: the simulator is one Python process,
    so answers that take it CPU to write come one after another."""
    calls = [("get_customer", {}), ("get_settlements", {}), ("list_invoices", {}), ("list_meters", {}),
             ("list_readings", {"meterId": "W-1001-2"}), ("list_readings", {"meterId": "W-1001-3"})]
    bodies = [(operation, soap_envelope(bench, operation, customerId="K-1001", **params).read_bytes())
              for operation, params in calls]
    from adapters.soap.billing import SOAP_OPERATIONS

    def post(call: tuple[str, bytes]) -> None:
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": SOAP_ACTION + SOAP_OPERATIONS[call[0]]}
        requests.post(f"{bench.simulator.url}/soap", data=call[1], headers=headers, timeout=30,
                      auth=ERP_AUTH).raise_for_status()

    times = []
    with ThreadPoolExecutor(len(bodies)) as pool:
        for _ in range(rounds):
            started = time.monotonic()
            list(pool.map(post, bodies))
            times.append((time.monotonic() - started) * 1000)
    return statistics.median(times)


def _first_visits(bench: Bench) -> float:
    """The start page of customers the cold portal has never seen (synthetic ones): two rounds of calls."""
    times = [_get(f"{bench.cold.url}/", cookie)[1] * 1000 for cookie in bench.synthetic_cookies[-5:]]
    return statistics.median(times)


# --- figure 4 ---------------------------------------------------------------------------------------

def figure_4(bench: Bench, single: Service, invoice_ids: list[str]) -> Figure:
    """100 requests at once for an invoice nobody opened yet: how many get_invoice calls reach the ERP."""
    set_fault(bench.simulator, "*", "latency", 0.5)  # long enough that all 100 overlap the first call
    try:
        counts = []
        for service, invoice_id in ((single, invoice_ids[0]), (bench.portal, invoice_ids[1])):
            clear_calls(bench.simulator)
            barrier = threading.Barrier(100)

            def one(_: int, url: str = f"{service.url}/invoices/{invoice_id}",
                    barrier: threading.Barrier = barrier) -> int:
                barrier.wait()
                return _get(url, bench.cookie, timeout=60)[0]

            with ThreadPoolExecutor(100) as pool:
                statuses = list(pool.map(one, range(100)))
            if set(statuses) != {200}:
                raise RuntimeError(f"figure 4: statuses {sorted(set(statuses))}")
            counts.append(erp_calls(bench.simulator).get("get_invoice", 0))
    finally:
        scripted_latency(bench.simulator)
    workers = len(bench.portal.workers())
    bench.results["figure_4"] = {"one_worker_calls": counts[0], "workers": workers, "calls": counts[1]}
    return Figure(
        "4", "100 concurrent requests for one cold key (an invoice's details: get_invoice)",
        "—",
        f"1 worker process: {counts[0]} ERP call; {workers} worker processes: {counts[1]} ERP calls",
        f"{counts[0]} call per process; {counts[1]}/{workers} calls per process",
        "exactly 1 ERP call per process",
        counts[0] == 1 and 1 <= counts[1] <= workers,
        ["100 threads, each its own connection, released together by a barrier; calls counted by the "
         "simulator (GET /_sim/calls)"],
        ["The ERP answers after 0.5 s here so that every request arrives while the first call is in flight. "
         "With several workers the calls are per process (each has its own cache); a count above the number "
         "of workers would mean a process called twice."],
    )


# --- figure 5 ---------------------------------------------------------------------------------------

def figure_5(bench: Bench, seconds: float, start_blackholed: Callable[[str], Service]) -> list[Figure]:
    down = _breaker_open(bench, seconds)
    blackholed = _blackholed(bench, start_blackholed)
    return [down, blackholed]


def _breaker_open(bench: Bench, seconds: float) -> Figure:
    """ERP down (every call 503): once the breakers are open, pages come from the kept answers at once."""
    warm(bench.cold, bench.cookie, "/invoices/", times=8)
    set_fault(bench.simulator, "*", "status_503")
    try:
        for _ in range(30):  # five failures per breaker group and worker open the circuit
            _get(f"{bench.cold.url}/invoices/", bench.cookie)
        states = [requests.get(f"{bench.cold.url}/readyz", timeout=10).json()["erp_breakers"] for _ in range(6)]
        if any(state.get("invoices") != "open" for state in states):
            raise RuntimeError(f"figure 5: breakers not open: {states}")
        status, _, page = _get(f"{bench.cold.url}/invoices/", bench.cookie)
        if status != 200 or "notice-error data-age" not in page:
            raise RuntimeError(f"figure 5: the page did not come from the kept answers (HTTP {status})")
        plain = bench.lua("plain", "")
        connections = 1
        page_run = load.wrk(f"{bench.cold.url}/invoices/", connections=connections, threads=1, seconds=seconds,
                            lua=plain, headers=bench.headers())
        health_run = load.wrk(f"{bench.cold.url}/healthz", connections=connections, threads=1, seconds=seconds,
                              lua=plain)
    finally:
        scripted_latency(bench.simulator)
    p99, health_p99 = page_run.ms("p99"), health_run.ms("p99")
    bench.results["figure_5_open"] = {"p99_ms": p99, "p50_ms": page_run.ms("p50"), "healthz_p99_ms": health_p99}
    return Figure(
        "5", "ERP down (every call HTTP 503), breaker open: invoice list from the answers kept",
        f"/healthz (no ERP, no template) at the same load: p99 {health_p99:.1f} ms",
        f"p99 {p99:.1f} ms (median {page_run.ms('p50'):.1f} ms, {page_run.rps:.0f} req/s)",
        f"{p99 / health_p99:.1f}× /healthz",
        "p99 ≤ 20 ms",
        p99 <= 20,
        [page_run.command, health_run.command],
        [f"{connections} connection: the page's own time, not queueing behind other users. "
         "Every request misses the cache (answers expire at once), finds the breaker open and is answered "
         "from the last good answer with the \"billing system is not responding\" notice."],
    )


def _blackholed(bench: Bench, start_blackholed: Callable[[str], Service]) -> Figure:
    """ERP address that never answers, breakers kept closed: every page must still end within its deadline."""
    hole = Blackhole()
    service = start_blackholed(f"{hole.url}/soap")
    deadline = max(float(service.env["IBOK_ERP_DEADLINE"]), float(service.env["IBOK_PAGE_DEADLINE"]))
    try:
        with ThreadPoolExecutor(len(NAV_PAGES)) as pool:
            # A first pass compiles templates and parses the WSDL in each worker: not the ERP's doing.
            list(pool.map(lambda path: _get(service.url + path, bench.cookie), NAV_PAGES))
            answers = list(pool.map(lambda path: (path, *_get(service.url + path, bench.cookie)[:2]), NAV_PAGES))
    finally:
        service.stop()
        hole.close()
    slowest = max(answers, key=lambda answer: answer[2])
    allowed = deadline * 1.1
    bench.results["figure_5_blackhole"] = {path: {"status": status, "seconds": took} for path, status, took in answers}
    listing = ", ".join(f"{path} {took:.2f} s ({status})" for path, status, took in answers)
    return Figure(
        "5b", "ERP blackholed (connections accepted, never answered), breakers closed: every menu page",
        f"the deadline: ERP_DEADLINE = PAGE_DEADLINE = {deadline:g} s (ERP_TIMEOUT 1 s)",
        f"slowest {slowest[0]} {slowest[2]:.2f} s; {listing}",
        f"{slowest[2] / deadline:.2f}× the deadline",
        "every page ends within its deadline (+10 % for rendering)",
        slowest[2] <= allowed and all(status in (200, 503) for _, status, _ in answers),
        ["the 9 menu pages requested at once, from threads, twice; the second pass counts"],
        ["A separate portal instance with short deadlines (so the check takes seconds, not minutes) and "
         "BREAKER_FAIL_MAX 1000, so no breaker opens. A retry may only use what is left of the call's deadline."],
    )


# --- figure 6 ---------------------------------------------------------------------------------------

class ReplayHttp(ErpHttp):
    """Hands a recorded reply back at once: what remains is the adapter's own parsing and validation."""

    def __init__(self, reply: HttpReply) -> None:
        super().__init__(ErpSettings(url="http://erp.invalid"), session=requests.Session())
        self.reply = reply

    def send(self, operation: str, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> HttpReply:
        return self.reply


def _recorded(url: str, method: str, **kwargs: Any) -> HttpReply:
    answer = requests.request(method, url, timeout=60, **kwargs)
    answer.raise_for_status()
    return HttpReply(answer.status_code, dict(answer.headers), answer.content)


def figure_6(bench: Bench, repeats: int) -> Figure:
    """list_invoices of K-1005 (1,000 invoices) parsed by each adapter from the same recorded reply."""
    from adapters.soap import client as soap_client

    envelope = soap_envelope(bench, "list_invoices", customerId="K-1005")
    soap_reply = _recorded(f"{bench.simulator.url}/soap", "POST", data=envelope.read_bytes(),
                           headers={"Content-Type": "text/xml; charset=utf-8",
                                    "SOAPAction": SOAP_ACTION + "ListInvoices"}, auth=ERP_AUTH)
    rest_reply = _recorded(f"{bench.simulator.url}/api/v1/customers/K-1005/invoices", "GET", auth=ERP_AUTH)
    settings = ErpSettings(url="http://erp.invalid/soap")
    wsdl_ms = _wsdl_parse_ms(settings)
    original = soap_client._build_client
    parses = _count_calls(soap_client, "_build_client")
    soap_client._CLIENTS.clear()
    try:
        soap = SoapBilling(settings, http=ReplayHttp(soap_reply))
        rest = RestBilling(ErpSettings(url="http://erp.invalid/api/v1"), http=ReplayHttp(rest_reply))
        if not len(soap.list_invoices("K-1005")) == len(rest.list_invoices("K-1005")) == 1000:
            raise RuntimeError("figure 6: the replies do not hold 1,000 invoices")
        times: dict[str, list[float]] = {"soap": [], "rest": []}
        for _ in range(repeats):
            for name, adapter in (("soap", SoapBilling(settings, http=ReplayHttp(soap_reply))), ("rest", rest)):
                REPLY_MEMO.kept.clear()  # parsed anew: an unchanged reply's records are otherwise kept
                started = time.perf_counter()
                adapter.list_invoices("K-1005")
                times[name].append((time.perf_counter() - started) * 1000)
    finally:
        soap_client._build_client = original
    soap_ms, rest_ms = statistics.median(times["soap"]), statistics.median(times["rest"])
    bench.results["figure_6"] = {"soap_ms": soap_ms, "rest_ms": rest_ms, "wsdl_parses": parses.count,
                                 "wsdl_parse_ms": wsdl_ms, "soap_bytes": len(soap_reply.content),
                                 "rest_bytes": len(rest_reply.content)}
    return Figure(
        "6", "parsing and validating a 1,000-invoice reply (K-1005 list_invoices), SOAP adapter",
        f"the REST adapter on the same data: median {rest_ms:.0f} ms ({len(rest_reply.content) / 1e6:.2f} MB JSON)",
        f"median {soap_ms:.0f} ms ({len(soap_reply.content) / 1e6:.2f} MB XML); WSDL parsed {parses.count}× "
        f"for {repeats + 1} calls through {repeats + 1} SoapBilling objects (a parse costs {wsdl_ms:.0f} ms)",
        f"{soap_ms / rest_ms:.2f}×",
        "SOAP ≤ 3× REST; the WSDL parsed once per process",
        soap_ms / rest_ms <= 3 and parses.count == 1,
        [f"in-process, {repeats} alternating runs per adapter, replies recorded from the simulator"],
        ["Each adapter runs its real code on a reply recorded from the simulator, handed back without network "
         "(ErpHttp replaced by a replay), so only parsing, zeep's object building and the schemas count."],
    )


@dataclass
class _Counter:
    count: int = 0


def _count_calls(module: Any, name: str) -> _Counter:
    counter = _Counter()
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        counter.count += 1
        return original(*args, **kwargs)

    setattr(module, name, counted)
    return counter


def _wsdl_parse_ms(settings: ErpSettings) -> float:
    """What building the zeep client from the WSDL costs: the work done once per process, not per call."""
    from adapters.soap import client as soap_client

    times = []
    for _ in range(3):
        started = time.perf_counter()
        soap_client._build_client(settings)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# --- figure 7 ---------------------------------------------------------------------------------------

def figure_7(bench: Bench, requests_total: int, soak_seconds: float, samples: int = 6) -> Figure:
    """Resident memory per worker after requests over 1,000 customers, then across a soak of the same load."""
    cookies = bench.workdir / "synthetic-cookies.txt"
    cookies.write_text("\n".join(bench.synthetic_cookies) + "\n")
    pages = "/,/invoices/,/contracts/"
    rotate = bench.lua("rotate", load.ROTATE)
    threads = 2
    before = {pid: rss_mb(pid) for pid in bench.portal.workers()}
    stop_file = bench.workdir / "rotate-stopped.txt"
    # A connection per request while warming up, so each worker serves its share: kept-alive connections
    # stay with whichever worker accepted them first, and a worker given a few of the 20 had seen only part
    # of the customers when the soak began.
    warm_run = load.wrk(bench.portal.url, connections=CONCURRENT_USERS, threads=threads, seconds=900, lua=rotate,
                        args=[str(cookies), pages, str(requests_total // threads), str(threads), str(stop_file),
                              "close"],
                        shown_args=["synthetic-cookies.txt", pages, str(requests_total // threads), str(threads),
                                    "stopped.txt", "close"], stop_file=stop_file)
    after = {pid: rss_mb(pid) for pid in bench.portal.workers()}
    trace: list[dict[int, float]] = []
    soak_runs = []
    step = soak_seconds / samples
    for _ in range(samples):
        soak_runs.append(load.wrk(bench.portal.url, connections=CONCURRENT_USERS, threads=threads, seconds=step,
                                  lua=rotate, args=[str(cookies), pages, "0", str(threads), str(stop_file)]))
        trace.append({pid: rss_mb(pid) for pid in bench.portal.workers()})
    end = trace[-1]
    growth = {pid: (end[pid] - after[pid]) / after[pid] for pid in after}
    soak_requests = sum(run.result["requests"] for run in soak_runs)
    bad = sum(run.result["bad_status"] + run.result["errors"] for run in [warm_run, *soak_runs])
    bench.results["figure_7"] = {"before_mb": before, "after_mb": after, "trace_mb": trace, "growth": growth,
                                 "warm_requests": warm_run.result["requests"], "soak_requests": soak_requests,
                                 "soak_seconds": soak_seconds, "bad": bad}
    worst = max(max(after.values()), *(max(sample.values()) for sample in trace))
    fmt = ", ".join
    return Figure(
        "7", f"resident memory per worker after {warm_run.result['requests']:,} requests over 1,000 customers, "
             f"and its growth over a {soak_seconds / 60:.1f}-minute soak ({soak_requests:,} more requests)",
        f"the same workers before: {fmt(f'{v:.0f} MB' for v in before.values())}",
        f"after: {fmt(f'{v:.0f} MB' for v in after.values())}; after the soak: "
        f"{fmt(f'{v:.0f} MB' for v in end.values())}",
        f"growth {fmt(f'{g * 100:+.1f} %' for g in growth.values())}",
        "≤ 150 MB, growth < 10 %",
        worst <= 150 and max(growth.values()) < 0.10 and bad == 0,
        [warm_run.command, f"then {samples} × {soak_runs[0].command.replace(' 0 ', ' (no limit) ', 1)}"],
        [f"Customers K-2001…K-3000 (synthetic clones of K-1002, served by the simulator), each with an account; "
         f"requests rotate over the customers and the pages {pages} (start page, invoices, contracts). The "
         "10,000 requests open a connection each, so every worker serves its share (a kept-alive connection "
         "stays with the worker that accepted it); the soak keeps its connections. The limit applies to every "
         "sample, the growth is from the end of the 10,000 requests to the end of the soak. "
         f"The issue asks for a 10-minute soak; this run's soak was {soak_seconds:g} s "
         "(BENCH_SOAK_SECONDS=600 make bench for the full one). Non-2xx or failed requests: " + str(bad) + ". "
         "The clones share K-1002's amounts and days, which the portal keeps as one object each "
         "(adapters/wire/schemas.py: SharedDecimal, SharedDate): real customers share fewer (fees, prices, VAT "
         "and zero balances, not consumption), so a real worker holds more per customer than this figure shows."],
    )


# --- figure 8 ---------------------------------------------------------------------------------------

def figure_8(bench: Bench, seconds: float, form: tuple[str, str], password: str,
             verify_ms: Callable[[], list[float]]) -> Figure:
    """argon2 verification on its own, then sign-ins mixed into page views (1 in 20)."""
    verifies = verify_ms()
    visitor_cookie, token = form
    body = f"csrf_token={token}&login=LOGIN&password={password}"  # LOGIN: one synthetic customer per user
    mix = bench.lua("mix", load.MIX)
    bench.renew_cookie()
    run = load.wrk(bench.portal.url, connections=CONCURRENT_USERS, threads=CONCURRENT_USERS, seconds=seconds,
                   lua=mix, args=["/invoices/", bench.cookie, visitor_cookie, body, "20", "s", str(FIRST_NUMBER)],
                   shown_args=["/invoices/", "<page cookie>", "<visitor cookie>", "<sign-in form>", "20", "s",
                               str(FIRST_NUMBER)])
    result = run.result
    if result["bad_status"] or result["errors"]:
        raise RuntimeError(f"figure 8: {result}")
    verify = statistics.median(verifies)
    page_p95, sign_in_p95 = result["page_p95_us"] / 1000, result["sign_in_p95_us"] / 1000
    figure_1_p95 = bench.results["figure_1"]["p95_ms"]["portal"]
    bench.results["figure_8"] = {"verify_ms": verifies, "run": result}
    return Figure(
        "8", f"sign-in: argon2id verification, and sign-in p95 in a mix of 5 % sign-ins (1 request in 20 of "
             f"each user, each signing in as a customer of their own) and 95 % page views (the invoice list), "
             f"{CONCURRENT_USERS} users",
        f"figure 1's page p95 without sign-ins: {figure_1_p95:.0f} ms",
        f"verify median {verify:.0f} ms (19 MiB, t=2, p=1); sign-in p95 {sign_in_p95:.0f} ms; "
        f"page p95 in the mix {page_p95:.0f} ms",
        f"page p95 {page_p95 / figure_1_p95:.2f}× figure 1's",
        "verify ≤ 150 ms, page p95 of figure 1 kept (≤ 50 ms)",
        verify <= 150 and page_p95 <= 50,
        [run.command],
        [f"{result['requests']:,} requests: {result['sign_ins']} sign-ins (HTTP 302), {result['pages']} page views; "
         "each wrk thread holds one connection and times its own requests, so the two kinds are told apart. "
         f"Verification timed in the bench process over {len(verifies)} runs."],
    )


def dump(results: Mapping[str, Any], path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, default=str))
