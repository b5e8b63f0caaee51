"""A payment started while a linked customer is shown is that customer's: its row, its invoices, its audit entry."""

from __future__ import annotations

from gateway.accounts.links import link_customer
from tests.payments.fixtures import NOWAKS, UNPAID, audit_actions, payments, start_payment
from tests.portal_fixtures import add_account, sign_in


def test_a_switched_sessions_payment_belongs_to_the_customer_shown(app, operator):
    add_account(app, login="zarzadca", email="zarzadca@example.com")  # K-1001's own account
    with app.app_context():
        link_customer("zarzadca", "K-1002")
    manager = app.test_client()
    assert sign_in(manager, login="zarzadca").status_code == 302
    assert manager.post("/customer", data={"customer": "K-1002"}).status_code == 302
    assert manager.get(f"/payments/confirm?invoice={UNPAID}").status_code == 404, "K-1001's, not shown now"
    assert start_payment(manager, NOWAKS).status_code == 303
    [payment] = payments(app)
    assert (payment.customer_id, payment.invoice_ids) == ("K-1002", NOWAKS)
    assert [detail["customer_id"] for action, detail in audit_actions(app)] == ["K-1002"]
