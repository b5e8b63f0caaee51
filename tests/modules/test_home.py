"""The start page: customer data, balance, last readings and latest invoices, gathered concurrently."""

from __future__ import annotations

import re
import threading
import time
from datetime import date, datetime
from decimal import Decimal

import pytest

from adapters.core.errors import ErpUnavailable
from adapters.core.records import InvoiceStatus, InvoiceSummary, MeterStatus
from adapters.resilience.cached import READ_OPERATIONS, CachedBilling, Entry
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway import clock
from gateway.erp.invoice_order import latest_invoices
from gateway.pages.home.dashboard import load_dashboard
from tests.portal.doubles import ScriptedBilling


def _page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_start_page_shows_the_customer_balance_meters_and_invoices(kowalski):
    page = _page(kowalski)
    assert "Jan Kowalski" in page and "K-1001" in page
    assert "183,15 zł" in page
    assert "JS25-1187342" in page and "GRD19-008713" in page
    assert "SW19-0042187" not in page, "a removed meter has no last reading to show"
    assert "FV/00117/11/2026" in page and "FV/00141/09/2026" in page
    assert page.count("FV/") == 5


def test_each_customer_sees_only_their_own_start_page(nowak):
    page = _page(nowak)
    assert "Anna Nowak" in page and "Jan Kowalski" not in page and "JS25-1187342" not in page


def test_a_part_whose_call_failed_shows_a_notice_while_the_rest_renders(kowalski, billing):
    billing.fail("get_settlements", ErpUnavailable("get_settlements", "down"))
    page = _page(kowalski)
    assert "Saldo – nie można teraz wyświetlić" in page
    assert "Jan Kowalski" in page and "FV/00117/11/2026" in page


def test_the_page_renders_even_when_every_call_fails(kowalski, billing):
    for operation in ("get_customer", "get_settlements", "list_invoices", "list_meters"):
        billing.fail(operation, ErpUnavailable(operation, "down"))
    page = _page(kowalski)
    assert page.count("nie można teraz wyświetlić") == 4


class MeetingBilling(ScriptedBilling):
    """Each read waits until the others of its round have started: calls made one after another never meet."""

    def __init__(self, inner, rounds: dict[str, tuple[str, ...]]) -> None:
        super().__init__(inner)
        self.meetings = {name: threading.Barrier(len(round_)) for name, round_ in rounds.items()}
        self.round_of = {operation: name for name, round_ in rounds.items() for operation in round_}

    def _call(self, operation, *args):
        self.meetings[self.round_of[operation]].wait(timeout=5)
        return super()._call(operation, *args)


def test_the_erp_calls_run_concurrently(kowalski, app, billing):
    """Wall-clock limits fail on a busy CI machine; a barrier that breaks unless the calls overlap does not."""
    rounds = {"first": ("get_customer", "get_settlements", "list_invoices", "list_meters"),
              "readings": ("list_readings", "list_readings")}
    meeting = MeetingBilling(billing.inner, rounds)
    app.extensions["billing"] = meeting
    page = _page(kowalski)
    assert not any(barrier.broken for barrier in meeting.meetings.values())
    assert "nie można teraz wyświetlić" not in page
    assert "JS25-1187342" in page and "GRD19-008713" in page


ROUND = 0.3
TODAY = date(2026, 11, 27)


class TimedBilling(ScriptedBilling):
    """Each call takes ROUND seconds and notes when it started, so a test can count the rounds."""

    def __init__(self) -> None:
        super().__init__(FakeBilling(DemoStore.load()))
        self.started: list[tuple[str, float]] = []

    def _call(self, operation, *args):
        self.started.append((operation, time.monotonic()))
        time.sleep(ROUND)
        return super()._call(operation, *args)


def _always_missing() -> tuple[TimedBilling, CachedBilling]:
    """A cache whose answers expire at once: every read goes to the ERP, the last good answers are kept."""
    erp = TimedBilling()
    return erp, CachedBilling(erp, ttl={operation: 0 for operation in READ_OPERATIONS})


def _rounds(erp: TimedBilling, since: float) -> int:
    """Distinct start times at least half a round apart."""
    starts = sorted(at for _, at in erp.started if at >= since)
    return 1 + sum(1 for a, b in zip(starts, starts[1:]) if b - a > ROUND / 2) if starts else 0


def test_a_first_visit_reads_the_meters_then_their_readings():
    erp, port = _always_missing()
    dashboard = load_dashboard(port, "K-1001", TODAY, timeout=5)
    assert _rounds(erp, 0) == 2
    assert [reading.meter.serial for reading in dashboard.readings.value] == ["JS25-1187342", "GRD19-008713"]


def test_the_readings_of_meters_known_from_an_earlier_answer_come_in_the_first_round():
    erp, port = _always_missing()
    first = load_dashboard(port, "K-1001", TODAY, timeout=5)
    since = time.monotonic()
    again = load_dashboard(port, "K-1001", TODAY, timeout=5)
    assert _rounds(erp, since) == 1, "the meters the cache kept need no second round"
    assert again.readings.value == first.readings.value
    assert sum(1 for operation, at in erp.started if at >= since and operation == "list_meters") == 1


def test_a_meter_the_fresh_list_adds_is_read_in_a_second_round():
    erp, port = _always_missing()
    load_dashboard(port, "K-1001", TODAY, timeout=5)
    known = port.peek("list_meters", "K-1001", None)
    assert known is not None
    older = [meter for meter in known if meter.serial != "GRD19-008713"]
    stored = Entry(older, datetime(2026, 11, 27))  # as kept before it came
    port.store.set("list_meters", ("K-1001", None), stored, port.store.generation("K-1001"))
    since = time.monotonic()
    dashboard = load_dashboard(port, "K-1001", TODAY, timeout=5)
    assert _rounds(erp, since) == 2
    assert [reading.meter.serial for reading in dashboard.readings.value] == ["JS25-1187342", "GRD19-008713"]


def test_a_known_meter_no_longer_active_is_left_out(monkeypatch):
    erp, port = _always_missing()
    load_dashboard(port, "K-1001", TODAY, timeout=5)
    meters = port.list_meters("K-1001")
    removed = next(meter for meter in meters if meter.status is MeterStatus.ACTIVE)
    erp.inner = ScriptedBilling(FakeBilling(DemoStore.load()))
    monkeypatch.setattr(erp.inner, "list_meters",
                        lambda customer_id, serial=None: [meter for meter in meters if meter.id != removed.id])
    dashboard = load_dashboard(port, "K-1001", TODAY, timeout=5)
    assert removed.id not in [reading.meter.id for reading in dashboard.readings.value]


@pytest.fixture
def demo_day(monkeypatch):
    """The day the demo dataset was made: what is overdue and what falls due next depends on it."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _balance(page: str) -> str:
    """The balance card's text with tags dropped and spaces squeezed."""
    card = page[page.index('id="balance-heading"'):page.index('id="meters-heading"')]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))


def test_when_everything_owed_is_overdue_the_start_page_says_so_and_not_that_nothing_is_owed(kowalski, demo_day):
    text = _balance(_page(kowalski))
    assert "Do zapłaty 183,15 zł" in text
    assert "Po terminie 183,15 zł , nieopłacone od terminu płatności 19.11.2026" in text
    assert "Innych należności Państwo nie mają – do zapłaty pozostaje tylko kwota po terminie." in text
    assert "brak należności" not in text


@pytest.mark.parametrize("login, customer_id, expected, absent", [
    ("nowak", "K-1002", ["Do zapłaty 138,38 zł", "Po terminie 138,38 zł , nieopłacone od terminu płatności 19.10.2026"],
     ["brak należności"]),
    ("zielinski", "K-1003", ["Do zapłaty 120,23 zł", "Najbliższy termin płatności 30.11.2026 (120,23 zł)"],
     ["Po terminie"]),
    ("wisniewski", "K-1004", ["Nadpłata 250,00 zł", "Najbliższy termin płatności brak należności"],
     ["Po terminie", "Do zapłaty"]),
])
def test_the_balance_names_what_is_overdue_and_what_falls_due_next(
        sign_in_as, demo_day, login, customer_id, expected, absent):
    text = _balance(_page(sign_in_as(login, customer_id)))
    assert all(part in text for part in expected), text
    assert not any(part in text for part in absent), text


def test_the_start_pages_items_link_to_their_pages(kowalski):
    page = _page(kowalski)
    assert '<a href="/invoices/INV-202611-00117"><strong>FV/00117/11/2026</strong></a>' in page
    assert page.count('href="/invoices/INV-') == 5
    assert re.search(r'<a href="/readings/W-[^"]+"><strong>JS25-1187342</strong></a>', page)
    assert '<a href="/contracts/#premise-P-1001-1"><strong>ul. Klonowa 7' in page
    assert 'href="/settlements/"' in page


def test_a_premise_link_lands_on_its_heading_on_the_contracts_page(kowalski):
    contracts = kowalski.get("/contracts/").get_data(as_text=True)
    assert '<h2 id="premise-P-1001-1">ul. Klonowa 7' in contracts


def _summary(invoice_id: str, issued: date) -> InvoiceSummary:
    return InvoiceSummary(invoice_id, f"FV/{invoice_id}", None, issued, issued, issued, issued, Decimal("10.00"),
                          Decimal("2.30"), Decimal("12.30"), InvoiceStatus.UNPAID, None)


def test_the_latest_invoices_are_the_newest_issued_with_ties_by_id_as_on_the_invoice_list():
    erp_order = [_summary("A", date(2026, 9, 10)), _summary("B", date(2026, 11, 5)), _summary("F", date(2026, 7, 1)),
                 _summary("C", date(2026, 10, 5)), _summary("D", date(2026, 11, 5)), _summary("E", date(2026, 8, 1))]
    assert [invoice.id for invoice in latest_invoices(erp_order, 5)] == ["D", "B", "C", "A", "E"]


def test_the_start_page_shows_the_latest_invoices_whatever_order_the_erp_sends(kowalski, billing, monkeypatch):
    oldest_first = list(reversed(billing.inner.list_invoices("K-1001")))
    monkeypatch.setattr(billing.inner, "list_invoices", lambda customer_id: oldest_first)
    page = _page(kowalski)
    expected = ["FV/00117/11/2026", "FV/00116/11/2026", "FV/00140/10/2026", "FV/00141/09/2026", "FV/00140/09/2026"]
    assert all(number in page for number in expected) and page.count("FV/") == 5
    assert sorted(expected, key=page.index) == expected
