"""The demo's property manager on a phone: the header's switcher shows another community's invoices."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import PHONE, sign_in
from tests.e2e.stack import DEMO_PASSWORD, Contexts, Portal

pytestmark = pytest.mark.browser


def test_the_manager_switches_to_a_linked_community_and_sees_its_invoices(contexts: Contexts,
                                                                          shared_portal: Portal) -> None:
    page = contexts.new(PHONE).new_page()
    sign_in(page, shared_portal.url, "zarzadca", DEMO_PASSWORD)
    expect(page.locator("#linked-heading")).to_be_visible()
    expect(page.locator("#customer-switch")).to_have_value("K-1007")
    page.locator("#customer-switch").select_option("K-1008")
    page.locator(".customer-switch button").click()
    expect(page.locator("#customer-switch")).to_have_value("K-1008")
    expect(page.locator("main")).to_contain_text("Wspólnota Mieszkaniowa „Ogrodowa 12”")
    page.goto(f"{shared_portal.url}/invoices/")
    expect(page.locator("main")).to_contain_text("FV/00662/11/2026")  # K-1008's newest
    expect(page.locator("main")).not_to_contain_text("FV/00653/11/2026")  # K-1007's newest
