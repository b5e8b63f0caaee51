"""Paying an invoice in the demo, in the browser: confirm, the operator's page refuses, cancel, try again, pay;
the portal says paid online and handed to the utility, which books it."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from fixtures.p24.app import create_p24
from fixtures.simulator.server import running_app
from tests.e2e.pages import DESKTOP, sign_in, text
from tests.e2e.stack import Contexts, Portal, running_portal

pytestmark = pytest.mark.browser
UNPAID = "INV-202611-00116"  # kowalski's FV/00116/11/2026, 166,01 zł
# The demo's ERP offers record_payment: the outbox hands the payment over, and the ERP books it within seconds.
HANDED_OR_BOOKED = re.compile("|".join(re.escape(text("pl", state)) for state in (
    "Paid online and passed on to the utility, waiting for it to be booked", "Paid online and booked")))


@pytest.fixture
def paying_portal(tmp_path: Path, erp_url: str, demo_database: Path,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[Portal]:
    """A demo portal of its own whose payment operator is a Przelewy24 simulator in this process."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with running_app(create_p24()) as p24_url:
        monkeypatch.setenv("P24_SIM_PORT", str(urlsplit(p24_url).port))  # config/demo.py reads it
        with running_portal(tmp_path / "portal", erp_url, demo_database) as portal:
            yield portal


def test_paying_an_invoice_with_a_failure_and_a_retry(contexts: Contexts, paying_portal: Portal):
    page = contexts.new(DESKTOP).new_page()
    sign_in(page, paying_portal.url, "kowalski")
    page.goto(f"{paying_portal.url}/invoices/{UNPAID}")
    page.get_by_role("link", name=text("pl", "Pay online")).click()
    pay = text("pl", "Pay %(amount)s", amount="166,01 zł")
    page.get_by_role("button", name=pay).click()
    expect(page.locator("#amount")).to_have_text("166.01 PLN")
    page.get_by_role("button", name="Odrzuć płatność").click()
    waiting = ("The operator has not confirmed this payment yet. "
               "If you have just paid, please refresh this page in a moment.")
    expect(page.locator("main")).to_contain_text(text("pl", waiting))
    page.get_by_role("button", name=text("pl", "Cancel this payment")).click()
    expect(page.locator("main h2")).to_have_text(text("pl", "Online payment failed or cancelled"))
    page.get_by_role("link", name=text("pl", "Try again")).click()
    page.get_by_role("button", name=pay).click()
    page.get_by_role("button", name="Zapłać", exact=True).click()
    expect(page.locator("main h2")).to_have_text(HANDED_OR_BOOKED)
    page.goto(f"{paying_portal.url}/invoices/{UNPAID}")
    expect(page.locator("main")).to_contain_text(HANDED_OR_BOOKED)
    expect(page.get_by_role("link", name=text("pl", "Pay online"))).to_have_count(0)
