"""Several machines' worth of portal on loopback: nginx, three portals, two deliverers, PostgreSQL, Redis, the ERP.

A session moves between instances; a delivered write shows on every instance within a second; an instance and a
deliverer killed during 200 concurrent writes lose none and deliver none twice.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import requests
from sqlalchemy import text

from fixtures.simulator.auth import DEMO
from tests.cluster.stack import Process, csrf_token, signed_in

WRITES = 200
CLIENTS = 16  # writes in flight at once, from as many threads
VISIBLE_WITHIN = 1.0


def token(session: requests.Session, base: str) -> str:
    return csrf_token(session.get(f"{base}/messages/", timeout=30).text)


def erp_messages(erp: str, customer_id: str) -> list[dict[str, Any]]:
    """The customer's messages as the ERP holds them (its REST API, as an adapter reads it)."""
    answer = requests.get(f"{erp}/api/v1/customers/{customer_id}/messages", timeout=10,
                          headers={"Authorization": DEMO.header()})
    answer.raise_for_status()
    return list(answer.json()["messages"])


def send(session: requests.Session, base: str, csrf: str, subject: str) -> int:
    """One message through the portal's form; the status the browser saw (0: the connection broke)."""
    try:
        answer = session.post(f"{base}/messages/new", timeout=60, allow_redirects=False, headers={
            "Referer": f"{base}/messages/new"}, data={
            "csrf_token": csrf, "kind": "inquiry", "subject": subject, "body": "Proszę o informację.",
            "premise_id": "", "invoice_id": "", "idempotency_key": str(uuid.uuid4())})
    except requests.ConnectionError:
        return 0
    return answer.status_code


def direct(browser: requests.Session, portal: Process, path: str) -> requests.Response:
    """The browser's session sent straight to one instance, bypassing nginx."""
    return requests.get(f"{portal.url}{path}", cookies=browser.cookies, timeout=30, allow_redirects=False)


@contextlib.contextmanager
def only(deliverer: Process, deliverers: list[Process]) -> Iterator[None]:
    """The other deliverers paused (they hold nothing: every earlier write was delivered)."""
    others = [process for process in deliverers if process is not deliverer]
    for process in others:
        process.pause()
    try:
        yield
    finally:
        for process in others:
            process.resume()


def test_a_session_from_one_instance_works_on_the_others_and_sign_out_ends_it_everywhere(cluster):
    first, second, third = (portal.url for portal in cluster.portals)
    session = signed_in(first, "nowak")
    for base in (second, third):
        assert session.get(f"{base}/messages/", timeout=30, allow_redirects=False).status_code == 200, base
    signed_out = session.post(f"{second}/sign-out", data={"csrf_token": token(session, second)}, timeout=30,
                              allow_redirects=False)
    assert signed_out.status_code == 302
    refused = session.get(f"{third}/messages/", timeout=30, allow_redirects=False)
    assert refused.status_code == 302 and "/sign-in" in refused.headers["Location"]


def test_a_write_delivered_by_either_deliverer_shows_on_every_instance_within_a_second(cluster):
    browser = signed_in(cluster.nginx.https, "kowalski", verify=str(cluster.nginx.certificate))
    csrf = token(browser, cluster.nginx.https)
    for deliverer in cluster.deliverers:
        with only(deliverer, cluster.deliverers):
            for portal in cluster.portals:  # each instance shows the customer's messages before the write
                assert direct(browser, portal, "/messages/").status_code == 200
            subject = f"Widoczność {uuid.uuid4().hex[:8]}"
            assert send(browser, cluster.nginx.https, csrf, subject) == 302
            message_id, delivered_at = wait_at_the_erp(cluster.erp, "K-1001", subject)
            late = [portal.name for portal in cluster.portals
                    if not shown_by(browser, portal, message_id, delivered_at)]
        assert late == [], f"delivered by {deliverer.name}, not shown within {VISIBLE_WITHIN} s by {late}"


def wait_at_the_erp(erp: str, customer_id: str, subject: str, seconds: float = 15.0) -> tuple[str, float]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [message["messageId"] for message in erp_messages(erp, customer_id) if message["subject"] == subject]
        if found:
            return str(found[0]), time.monotonic()
        time.sleep(0.02)
    raise AssertionError(f"{subject!r} did not reach the ERP within {seconds} s")


def shown_by(browser: requests.Session, portal: Process, message_id: str, delivered_at: float) -> bool:
    """The instance opens the message's own page (its ownership check reads the cached list) in time."""
    while time.monotonic() - delivered_at <= VISIBLE_WITHIN:
        if direct(browser, portal, f"/messages/{message_id}").status_code == 200:
            return True
        time.sleep(0.05)
    return False


def test_an_instance_and_a_deliverer_killed_during_200_writes_lose_none_and_deliver_none_twice(cluster):
    browsers = {customer: signed_in(cluster.nginx.https, login, verify=str(cluster.nginx.certificate))
                for customer, login in (("K-1001", "kowalski"), ("K-1002", "nowak"))}
    tokens = {customer: token(browser, cluster.nginx.https) for customer, browser in browsers.items()}
    run = uuid.uuid4().hex[:6]
    writes = [(("K-1001", "K-1002")[n % 2], f"Zapis {run}-{n:03d}") for n in range(WRITES)]
    victim, deliverer = cluster.portals[2], cluster.deliverers[1]
    killed_log_from = len(cluster.nginx.access_log())

    def write(job: tuple[str, str]) -> tuple[str, str, int]:
        customer, subject = job
        browser = requests.Session()
        browser.trust_env, browser.verify = False, str(cluster.nginx.certificate)
        browser.cookies.update(browsers[customer].cookies)
        return customer, subject, send(browser, cluster.nginx.https, tokens[customer], subject)

    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(write, job) for job in writes]
        while sum(future.done() for future in futures) < WRITES // 4:
            time.sleep(0.01)
        victim.kill()
        deliverer.kill()
        outcomes = [future.result() for future in futures]
    try:
        check_outcomes(cluster, outcomes, victim, deliverer, cluster.nginx.access_log()[killed_log_from:], run)
    finally:
        cluster.restart_portal(2)
        cluster.restart_deliverer(1)


def check_outcomes(cluster, outcomes: list[tuple[str, str, int]], victim: Process, deliverer: Process,
                   log: list[str], run: str) -> None:
    statuses = Counter(status for _, _, status in outcomes)
    accepted = {(customer, subject) for customer, subject, status in outcomes if status == 302}
    assert set(statuses) <= {302, 502, 0}, statuses
    failed = [line for line in log if line.split()[0].startswith("5")]
    assert all(victim.address in line for line in failed), failed
    # In flight at the victim: its threads' requests and those it had accepted for them; never more than the clients'.
    assert statuses[502] + statuses[0] == len(failed) <= CLIENTS, (statuses, failed)
    expire_the_lease_of(cluster, deliverer)
    at_the_erp = wait_for_delivery(cluster, accepted, run)
    assert accepted <= set(at_the_erp), "a write the portal accepted was lost"
    assert all(count == 1 for count in at_the_erp.values()), "a write was delivered twice"


def expire_the_lease_of(cluster, deliverer: Process) -> None:
    """What 90 s of waiting would do: the killed deliverer's claim on the write it was sending runs out."""
    with cluster.database.begin() as connection:
        connection.execute(text("UPDATE outbox SET claimed_until = :past WHERE claimed_by LIKE :worker"),
                           {"past": "2000-01-01 00:00:00", "worker": f"%:{deliverer.process.pid}"})


def wait_for_delivery(cluster, accepted: set[tuple[str, str]], run: str, seconds: float = 60.0) -> Counter:
    """(customer, subject) → how many messages the ERP holds for it, once nothing is waiting in the outbox."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with cluster.database.connect() as connection:
            waiting = connection.execute(text("SELECT count(*) FROM outbox WHERE status = 'pending'")).scalar()
        if waiting == 0:
            break
        time.sleep(0.2)
    counts: Counter[tuple[str, str]] = Counter()
    for customer in ("K-1001", "K-1002"):
        for message in erp_messages(cluster.erp, customer):
            if message["subject"].startswith(f"Zapis {run}-"):
                counts[(customer, message["subject"])] += 1
    return counts
