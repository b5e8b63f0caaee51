"""The Dynamics NAV simulator for the tests: one on loopback per session, and the plugin's settings for it."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests

from adapters.examples.nav.billing import NavBilling
from adapters.kit import ErpOptions, ErpSettings
from fixtures.nav.app import PASSWORD, USERNAME, create_nav
from fixtures.simulator.server import running_app

COMPANY_PATH = "/DynamicsNAV90/WS/Wodociagi"


@pytest.fixture(scope="session")
def nav_url() -> Iterator[str]:
    """The simulator's base URL; tests that switch a fault on reset it (the `nav_erp` fixture)."""
    with running_app(create_nav()) as base_url:
        yield base_url


def nav_settings(base_url: str, password: str = PASSWORD, **options: Any) -> ErpSettings:
    """What IT sets: the company's web services address, the NAV user and the plugin's options."""
    return ErpSettings(url=f"{base_url}{COMPANY_PATH}", username=USERNAME, password=password, connect_timeout=2,
                       read_timeout=5, deadline=10, options=ErpOptions(options))


def nav_port(base_url: str, **options: Any) -> NavBilling:
    return NavBilling(nav_settings(base_url, **options))


def reset(base_url: str) -> None:
    requests.post(f"{base_url}/_nav/reset", timeout=5).raise_for_status()
