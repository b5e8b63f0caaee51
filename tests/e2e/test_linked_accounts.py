"""A login with several customer numbers, on a phone: the header's switcher shows the other customer's invoices."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import PHONE, sign_in
from tests.e2e.stack import ROOT, Contexts, Portal, _environment, _flask

pytestmark = pytest.mark.browser


def test_a_manager_switches_to_a_linked_customer_and_sees_its_invoices(contexts: Contexts, fresh_portal: Portal,
                                                                       erp_url: str) -> None:
    link = _flask("accounts", "link", "kowalski", "--customer", "K-1004")
    done = subprocess.run(link, cwd=ROOT, env=_environment(fresh_portal.folder, erp_url), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = contexts.new(PHONE).new_page()
    sign_in(page, fresh_portal.url, "kowalski")
    expect(page.locator("#linked-heading")).to_be_visible()
    page.locator("#customer-switch").select_option("K-1004")
    page.locator(".customer-switch button").click()
    expect(page.locator("#customer-switch")).to_have_value("K-1004")
    expect(page.locator("main")).to_contain_text("Piekarnia „Pod Młynem” sp. z o.o.")
    page.goto(f"{fresh_portal.url}/invoices/")
    expect(page.locator("main")).to_contain_text("FV/00153/11/2026")
    expect(page.locator("main")).not_to_contain_text("FV/00117/11/2026")
