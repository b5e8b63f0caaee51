"""The portal on an ERP that offers only what it must: no menu entry, button or card leads to a page with
nothing behind it, a hidden page's address answers a clear 404, and what the customer did stays in sight."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from adapters.core.operations import REQUIRED
from adapters.core.port import MissingOperations
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway.app import create_app
from tests.portal.doubles import ScriptedBilling

NOT_OFFERED_TEXT = "Ta usługa nie jest dostępna w portalu."
OWN_INVOICE, SCANNED_CONTRACT, METER = "INV-202611-00117", "U-1001-1", "W-1001-2"
# Pages the walk opens of each kind (its first path segment and depth): enough to meet every template.
PER_KIND = 3


class RequiredOnly(FakeBilling):
    """A stock ERP: customer, contracts, invoices and settlements; no meters, readings, scans, PDFs,
    documents or messages, and it takes no writes."""

    offered_operations = REQUIRED


def _links(page: str) -> set[str]:
    """The portal's own links on a page, without their fragment."""
    found = {urldefrag(href)[0] for href in re.findall(r'href="(/[^"]*)"', page)}
    return {href.replace("&amp;", "&") for href in found if not href.startswith("//")}


def _walk(client: Any, start: str = "/") -> tuple[dict[str, int], set[str]]:
    """Every link of every page reached from the start page, a few pages of each kind: status per page."""
    seen: dict[str, int] = {}
    kinds: Counter[tuple[str, int]] = Counter()
    queue = [start]
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        kind = (path.split("/")[1], path.count("/"))
        if url in seen or kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        with client.get(url) as response:
            seen[url] = response.status_code
            if response.mimetype == "text/html":
                queue.extend(sorted(_links(response.get_data(as_text=True)) - set(seen)))
    return seen, {urlsplit(url).path.split("/")[1] for url in seen}


@pytest.fixture
def billing() -> ScriptedBilling:
    return ScriptedBilling(RequiredOnly(DemoStore.load()))


def _menu(page: str) -> list[str]:
    start = page.index('aria-label="Menu główne"')
    return re.findall(r'<li><a href="([^"]+)"', page[start:page.index("</nav>", start)])


def test_every_link_of_every_page_answers_and_the_erp_is_asked_only_what_it_offers(kowalski, billing):
    statuses, modules = _walk(kowalski)
    assert {url: status for url, status in statuses.items() if status != 200} == {}
    assert {"/contracts/U-1001-1", "/settings/", "/terms/regulamin-ibok"} <= set(statuses)
    assert any(url.startswith("/invoices/INV-") for url in statuses)
    assert modules >= {"", "contracts", "invoices", "settlements", "settings"}
    assert not modules & {"meters", "readings", "downloads", "messages"}
    assert {operation for operation, _args in billing.calls} <= REQUIRED


def test_the_menu_start_page_and_buttons_lack_what_is_not_offered(kowalski):
    start = kowalski.get("/").get_data(as_text=True)
    assert _menu(start) == ["/", "/contracts/", "/invoices/", "/settlements/", "/settings/"]
    assert "Ostatnie odczyty" not in start and "Ostatnie faktury" in start
    invoice = kowalski.get(f"/invoices/{OWN_INVOICE}").get_data(as_text=True)
    assert "Podgląd PDF" not in invoice and "/download" not in invoice
    assert "/download" not in kowalski.get("/invoices/").get_data(as_text=True)
    assert "Podpisana umowa" not in kowalski.get(f"/contracts/{SCANNED_CONTRACT}").get_data(as_text=True)
    settings = kowalski.get("/settings/").get_data(as_text=True)
    assert "E-faktura" in settings and "Włącz e-fakturę" not in settings and "/settings/e-invoice" not in settings


HIDDEN = [
    ("get", "/meters/"), ("get", f"/meters/{METER}"), ("get", "/readings/"), ("get", f"/readings/{METER}"),
    ("get", f"/readings/{METER}/readings.csv"), ("post", f"/readings/{METER}"), ("get", "/downloads/"),
    ("get", "/downloads/DOC-1"), ("get", "/messages/"), ("get", "/messages/new"), ("post", "/messages/new"),
    ("get", "/messages/MSG-1001-1"), ("get", f"/invoices/{OWN_INVOICE}/preview"),
    ("get", f"/invoices/{OWN_INVOICE}/download"), ("get", f"/contracts/{SCANNED_CONTRACT}/scan"),
    ("get", f"/contracts/{SCANNED_CONTRACT}/scan/download"), ("post", "/settings/e-invoice"),
]


def test_the_address_of_a_hidden_page_is_a_clear_polish_404_before_anything_is_read(kowalski, billing):
    answers = {}
    for method, url in HIDDEN:
        with getattr(kowalski, method)(url, data={"idempotency_key": str(uuid.uuid4())}) as response:
            page = response.get_data(as_text=True)
            answers[method, url] = (response.status_code, NOT_OFFERED_TEXT in page and "Nie znaleziono strony" in page)
    assert answers == {request: (404, True) for request in HIDDEN}
    assert billing.calls == [], "refused before the ERP is asked"


@pytest.mark.parametrize("not_offered", [["get_invoice"], ["list_bills"], "get_contract_scan, get_settlements"])
def test_it_setting_cannot_take_away_a_required_or_unknown_operation(config, not_offered):
    with pytest.raises(MissingOperations, match="ERP_NOT_OFFERED"):
        create_app({**config, "ERP_NOT_OFFERED": not_offered}, billing=FakeBilling(DemoStore.load()))


def test_an_adapter_without_a_required_operation_is_refused_at_start(config):
    class NoInvoices(FakeBilling):
        offered_operations = REQUIRED - {"list_invoices"}

    with pytest.raises(MissingOperations, match="NoInvoices leaves out required operations: list_invoices"):
        create_app(config, billing=NoInvoices(DemoStore.load()))
