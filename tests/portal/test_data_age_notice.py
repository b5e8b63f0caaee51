"""The "data as of …" notice speaks of the billing system's data only, and says so when the page lists the
customer's own writes sent after that data was read (it said 21:22 above a message sent at 21:25)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from adapters.resilience.cached import CachedBilling
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore

READ_AGO = timedelta(minutes=10)
AFTER = "To, co Państwo wysłali później, pokazujemy osobno, wraz ze stanem."


@pytest.fixture
def billing() -> CachedBilling:
    """Every answer the cache keeps reads as given ten minutes ago."""
    return CachedBilling(FakeBilling(DemoStore.load()), clock=lambda: datetime.now(timezone.utc) - READ_AGO)


def _message(subject: str) -> dict[str, str]:
    return {"kind": "inquiry", "subject": subject, "body": "Proszę o kontakt.", "idempotency_key": str(uuid.uuid4())}


def test_the_notice_names_the_billing_systems_data_and_nothing_else_before_any_write(signed_in):
    page = signed_in.get("/messages/").get_data(as_text=True)
    assert "Dane z systemu rozliczeniowego według stanu na" in page and AFTER not in page


def test_a_message_sent_after_the_erps_answer_is_said_to_be_listed_apart(signed_in):
    signed_in.get("/messages/")  # the ERP's list, kept by the cache
    signed_in.post("/messages/new", data=_message("Pytanie o taryfę"))
    page = signed_in.get("/messages/").get_data(as_text=True)
    assert "Pytanie o taryfę" in page and AFTER in page
    notice = page[page.index("data-age"):]
    assert notice.index(AFTER) < notice.index("Pytanie o taryfę")
