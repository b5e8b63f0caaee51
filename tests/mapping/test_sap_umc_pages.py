"""The portal over the SAP UMC example: every page UMC can serve renders from its data, the pages of what UMC does
not have are hidden, and a web firewall's answer is a fault on the utility's side."""

from __future__ import annotations

import pytest
import requests

from adapters.examples.sap_umc import SapUmcBilling
from tests.mapping.conftest import control_url

SERVED = ["/", "/contracts/", "/meters/", "/readings/", "/invoices/", "/settlements/", "/settings/",
          "/invoices/INV-202611-00117", "/invoices/INV-202611-00117/download"]
HIDDEN = ["/downloads/", "/messages/"]


@pytest.fixture
def billing(sap: SapUmcBilling) -> SapUmcBilling:
    """The portal's port is the SAP UMC mapping over the session's UMC simulator."""
    return sap


def test_every_page_umc_can_serve_renders_and_the_others_are_hidden(signed_in):
    for path in SERVED:
        assert signed_in.get(path).status_code == 200, path
    for path in HIDDEN:
        assert signed_in.get(path).status_code == 404, path
    invoices = signed_in.get("/invoices/").get_data(as_text=True)
    assert "FV/00117/11/2026" in invoices and "34,29" in invoices
    assert signed_in.get("/invoices/INV-202611-00117/download").mimetype == "application/pdf"


def test_a_web_firewalls_html_page_shows_the_utility_side_fault_page(signed_in, sap_umc_url, umc_reset):
    requests.post(control_url(sap_umc_url, "firewall"), json={"enabled": True}, timeout=5).raise_for_status()
    answer = signed_in.get("/invoices/INV-202610-00140")
    assert answer.status_code == 502
    assert "Błąd systemu rozliczeniowego" in answer.get_data(as_text=True)
