"""One UMC simulator app per module, driven through Flask's test client with the demo credentials."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient

from fixtures.sap_umc.app import create_umc
from fixtures.simulator.store import DemoStore

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
ROOT = "/sap/opu/odata/sap/ERP_UTILITIES_UMC/"
USER, PASSWORD = "IBOK_RFC", "demo-umc-password-not-for-production"
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
JSON = {"Authorization": BASIC, "Accept": "application/json"}


@pytest.fixture(scope="module")
def app() -> Any:
    return create_umc(DemoStore.load(clock=lambda: NOW))


@pytest.fixture
def client(app: Any) -> FlaskClient:
    """Every test starts from the dataset as loaded: no posted readings, tokens or firewall left over."""
    test_client = app.test_client()
    assert test_client.post("/_umc/reset").status_code == 204
    return test_client


def get_json(client: FlaskClient, path: str, status: int = 200) -> Any:
    reply = client.get(ROOT + path, headers=JSON)
    assert reply.status_code == status, reply.get_data(as_text=True)
    return reply.get_json()
