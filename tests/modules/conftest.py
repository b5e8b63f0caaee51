"""Signed-in clients for the module pages: kowalski (K-1001) and nowak (K-1002), the two sides of every
cross-customer test. The app, accounts and SMTP fixtures come from tests/portal_fixtures.py."""

from __future__ import annotations

import uuid
from typing import Any, Callable

import pytest

from tests.portal_fixtures import portal_day, sign_in

OWNER, STRANGER = "K-1001", "K-1002"
READING_METER = "W-1001-2"  # kowalski's; last reading 31.10.2026, 214,209 m³, about 0,33 m³ a day


def post_reading(client: Any, meter: str = READING_METER, **fields: str) -> Any:
    """The reading form sent: 220,5 m³ yesterday in Poland (never the ERP's future, whatever the hour)."""
    data = {"reading_date": portal_day(client.application, -1), "value": "220,5", "note": "",
            "idempotency_key": str(uuid.uuid4())}
    data.update(fields)
    return client.post(f"/readings/{meter}", data=data)


@pytest.fixture
def sign_in_as(app: Any, make_account: Callable[..., int]) -> Callable[[str, str], Any]:
    """A fresh client signed in as the given login and ERP customer: sign_in_as("nowak", "K-1002")."""

    def signed(login: str, customer_id: str) -> Any:
        make_account(login=login, customer_id=customer_id, email=f"{login}@example.com")
        client = app.test_client()
        response = sign_in(client, login=login)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return signed


@pytest.fixture
def kowalski(sign_in_as: Callable[[str, str], Any]) -> Any:
    """K-1001, two premises, 63 invoices."""
    return sign_in_as("kowalski", OWNER)


@pytest.fixture
def nowak(sign_in_as: Callable[[str, str], Any]) -> Any:
    """K-1002: the other customer of every cross-customer test."""
    return sign_in_as("nowak", STRANGER)
