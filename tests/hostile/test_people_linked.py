"""The cross-customer sweep for an account with linked customers: kowalski (K-1001) may also show the bakery
(K-1004). K-1002's ids stay a 404 on every route whichever customer is shown, also right after K-1002's link is
removed, and what a switched session writes belongs to the customer it shows."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from gateway.db.database import db
from gateway.db.models import AuditEntry
from gateway.outbox.model import OutboxItem
from tests.hostile.checks import assert_safe, timed
from tests.modules.conftest import post_reading
from tests.modules.test_cross_customer import OTHER_CUSTOMERS_IDS, OTHER_CUSTOMERS_TEXTS, STRANGER, _routes_with_ids

BAKERY = "K-1004"


@pytest.fixture
def accounts(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["accounts", *args])


@pytest.fixture
def manager(kowalski, accounts):
    """kowalski with the bakery linked and shown."""
    assert accounts("link", "kowalski", "--customer", BAKERY).exit_code == 0
    assert kowalski.post("/customer", data={"customer": BAKERY}).status_code == 302
    return kowalski


def sweep(app, client, billing, logs) -> None:
    """Every route with an id, given K-1002's: a 404 that shows nothing of K-1002, and the ERP never asked."""
    billing.calls.clear()
    for rule in _routes_with_ids(app):
        url = rule.build({arg: OTHER_CUSTOMERS_IDS[arg] for arg in rule.arguments})[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            result = timed(client.open, url, method=method)
            assert_safe(result, logs, statuses=(404,), log_level=logging.WARNING)
            assert not [text for text in OTHER_CUSTOMERS_TEXTS if text in result.page], url
    assert not [call for call in billing.calls if call[1] and call[1][0] == STRANGER]


def test_an_unlinked_customers_ids_are_404_everywhere_also_right_after_its_link_is_removed(
        app, manager, accounts, billing, logs):
    sweep(app, manager, billing, logs)  # while the bakery is shown
    assert "Piekarnia" in manager.get("/").get_data(as_text=True)
    accounts("link", "kowalski", "--customer", STRANGER)
    assert manager.post("/customer", data={"customer": STRANGER}).status_code == 302
    assert manager.get(f"/invoices/{OTHER_CUSTOMERS_IDS['invoice_id']}").status_code == 200, "shown while linked"
    assert accounts("unlink", "kowalski", "--customer", STRANGER).exit_code == 0
    sweep(app, manager, billing, logs)
    assert manager.post("/customer", data={"customer": STRANGER}).status_code == 404


def test_a_switched_sessions_outbox_row_and_audit_entry_carry_the_customer_shown(app, manager, deliver):
    assert post_reading(manager, meter="W-1004-1", value="10120,5").status_code == 302
    deliver()
    with app.app_context():
        (item,) = db().scalars(select(OutboxItem))
        assert item.customer_id == BAKERY and item.status == "delivered"
        (entry,) = db().scalars(select(AuditEntry).where(AuditEntry.action == "reading.accepted"))
        assert json.loads(entry.detail)["customer_id"] == BAKERY
