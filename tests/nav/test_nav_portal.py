"""The portal over the Dynamics NAV plugin, as `IBOK_ERP_ADAPTER=nav make run` serves it: every page NAV can fill
renders, and what NAV does not hold (meters, readings, documents, messages, PDFs, scans) is nowhere offered."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from adapters.core.operations import REQUIRED
from tests.modules.test_capabilities import _menu, _walk
from tests.nav.simulator import nav_port
from tests.portal.doubles import ScriptedBilling
from tests.portal_fixtures import sign_in


@pytest.fixture
def billing(nav_erp: str) -> ScriptedBilling:
    """The portal's port is the plugin over the simulator; the double only notes what the pages asked."""
    return ScriptedBilling(nav_port(nav_erp))


@pytest.fixture
def nowy(client: Any, make_account: Callable[..., int]) -> Any:
    """Signed in as K-1003, whose short ledger keeps the walk quick."""
    make_account(login="nowy", customer_id="K-1003", email="nowy@example.com")
    assert sign_in(client, login="nowy").status_code == 302
    return client


def test_every_page_nav_can_fill_renders_and_the_rest_is_hidden(nowy, billing):
    statuses, modules = _walk(nowy)
    assert {url: status for url, status in statuses.items() if status != 200} == {}
    assert {"/contracts/U-1003-1", "/invoices/", "/settlements/"} <= set(statuses)
    assert modules >= {"", "contracts", "invoices", "settlements", "settings"}
    assert not modules & {"meters", "readings", "downloads", "messages"}
    assert {operation for operation, _args in billing.calls} <= REQUIRED
    start = nowy.get("/").get_data(as_text=True)
    assert _menu(start) == ["/", "/contracts/", "/invoices/", "/settlements/", "/settings/"]
    assert "Piotr Nowy" in start and "Ostatnie faktury" in start
