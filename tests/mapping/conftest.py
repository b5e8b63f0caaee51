"""The SAP UMC example (config/mappings/sap-umc.toml) as the portal builds it, over the session's UMC simulator."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from adapters.examples.sap_umc import SapUmcBilling
from adapters.kit import ErpSettings

UMC_USER = "IBOK_RFC"
UMC_PASSWORD = "demo-umc-password-not-for-production"  # fixtures/sap_umc/ENTITIES.md, the demo's only


def control_url(service_url: str, path: str) -> str:
    parts = urlsplit(service_url)
    return f"{parts.scheme}://{parts.netloc}/_umc/{path}"


@pytest.fixture(scope="module")
def sap(sap_umc_url: str) -> SapUmcBilling:
    settings = ErpSettings(url=sap_umc_url, username=UMC_USER, password=UMC_PASSWORD, connect_timeout=2,
                           read_timeout=5, deadline=10)
    return SapUmcBilling(settings)


@pytest.fixture
def umc_reset(sap_umc_url: str) -> Iterator[None]:
    """Readings posted and the firewall switched on are forgotten after the test."""
    yield
    requests.post(control_url(sap_umc_url, "reset"), timeout=5).raise_for_status()
