"""Attacks on online payments: forged, replayed and wrong-amount notifications, another customer's invoice or
payment, a double submit and two tabs. Nothing believed, nothing paid twice, nothing changed."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest

from adapters.payments.przelewy24 import sign
from fixtures.p24.ledger import Merchant
from tests.payments.fixtures import (
    NOWAKS,
    UNPAID,
    app,
    audit_actions,
    confirm_form,
    kowalski,
    nowak,
    operator,
    paying_app,
    payments,
    signed_in,
    start_payment,
)

__all__ = ["app", "kowalski", "nowak", "operator", "paying_app", "signed_in"]
DEMO = Merchant()


def _notification(session_id: str, grosze: int, crc: str = DEMO.crc, order_id: int = 77, **changes: Any) -> bytes:
    fields: dict[str, Any] = {
        "merchantId": DEMO.merchant_id, "posId": DEMO.pos_id, "sessionId": session_id, "amount": grosze,
        "originAmount": grosze, "currency": "PLN", "orderId": order_id, "methodId": 25, "statement": "p24-x",
    }
    fields.update(changes)
    fields["sign"] = sign(fields, crc)
    return json.dumps(fields).encode()


def _notify(client: Any, body: bytes) -> int:
    return client.post("/payments/notify", data=body, content_type="application/json").status_code


@pytest.fixture
def started(app, kowalski, operator) -> str:
    """kowalski's payment of FV/00116/11/2026 (166,01 zł), started at the operator; its session id."""
    assert start_payment(kowalski, UNPAID).status_code == 303
    return payments(app)[0].session_id


def test_a_notification_signed_without_the_crc_is_refused_and_audited(app, client, started, operator):
    assert _notify(client, _notification(started, 16601, crc="guessed")) == 400
    assert payments(app)[0].status == "started" and operator.transactions()[0]["verified"] is False
    assert audit_actions(app)[-1] == ("payment.notification_refused", {"reason": "bad signature"})


def test_a_notification_for_a_session_the_portal_never_started_is_refused(app, client, started):
    assert _notify(client, _notification("f" * 32, 16601)) == 400
    assert audit_actions(app)[-1] == ("payment.notification_refused", {"reason": "unknown session"})


def test_a_signed_notification_for_less_money_is_refused(app, client, started):
    assert _notify(client, _notification(started, 1)) == 400
    assert payments(app)[0].status == "started"
    assert audit_actions(app)[-1] == ("payment.notification_refused", {"reason": "amount mismatch"})


def test_a_signed_notification_the_operator_does_not_confirm_changes_nothing(app, client, started):
    """Signed and matching, but the operator never took the money (its verify refuses): 503, the operator retries."""
    assert _notify(client, _notification(started, 16601)) == 503
    assert payments(app)[0].status == "started"
    assert audit_actions(app)[-1][0] == "payment.verify_failed"


def test_a_replayed_notification_changes_nothing(app, client, kowalski, operator, started):
    operator.choose(payments(app)[0].redirect_url or "", "pay")
    [body] = operator.sent or []
    paid_at = payments(app)[0].paid_at
    assert _notify(client, body) == 200 and _notify(client, body) == 200
    assert payments(app)[0].paid_at == paid_at
    assert [action for action, _ in audit_actions(app)].count("payment.paid") == 1


def test_malformed_notifications_are_refused(app, client, started):
    for body in (b"", b"not json", b"[1]", b"{}", json.dumps({"sessionId": started}).encode(), b"{" * 20000):
        assert _notify(client, body) == 400, body[:20]
    assert payments(app)[0].status == "started"


def test_another_customers_invoice_is_404(app, kowalski, operator):
    assert kowalski.get(f"/payments/confirm?invoice={NOWAKS}").status_code == 404
    form = confirm_form(kowalski.get(f"/payments/confirm?invoice={UNPAID}").get_data(as_text=True))
    assert kowalski.post("/payments/start", data={**form, "invoice": [UNPAID, NOWAKS]}).status_code == 404
    assert payments(app) == [] and operator.transactions() == []


def test_another_customers_payment_page_is_404(app, nowak, started):
    assert nowak.get(f"/payments/{started}").status_code == 404
    assert nowak.post(f"/payments/{started}/cancel").status_code == 404
    assert payments(app)[0].status == "started"


def test_a_double_submit_starts_one_payment(app, kowalski, operator):
    form = confirm_form(kowalski.get(f"/payments/confirm?invoice={UNPAID}").get_data(as_text=True))
    first = kowalski.post("/payments/start", data=form)
    second = kowalski.post("/payments/start", data=form)
    [payment] = payments(app)
    assert first.headers["Location"] == payment.redirect_url
    assert second.status_code == 303 and second.headers["Location"] == f"/payments/{payment.session_id}"
    assert len(operator.transactions()) == 1


def test_two_tabs_for_the_same_invoice_start_one_payment(app, kowalski, operator):
    tab_one = confirm_form(kowalski.get(f"/payments/confirm?invoice={UNPAID}").get_data(as_text=True))
    tab_two = confirm_form(kowalski.get(f"/payments/confirm?invoice={UNPAID}").get_data(as_text=True))
    assert tab_one["idempotency_key"] != tab_two["idempotency_key"]
    kowalski.post("/payments/start", data=tab_one)
    second = kowalski.post("/payments/start", data=tab_two)
    [payment] = payments(app)
    assert second.headers["Location"] == f"/payments/{payment.session_id}"
    assert "Przejdź do płatności" in kowalski.get(second.headers["Location"]).get_data(as_text=True)


def test_an_amount_changed_in_the_form_is_never_charged(app, kowalski, operator):
    form = confirm_form(kowalski.get(f"/payments/confirm?invoice={UNPAID}").get_data(as_text=True))
    response = kowalski.post("/payments/start", data={**form, "amount": "0.01"})
    assert response.status_code == 409 and payments(app) == []
    assert "Zapłać 166,01 zł" in response.get_data(as_text=True)


def test_the_notification_needs_no_csrf_token_but_the_start_does(app, client, kowalski, started, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert _notify(client, _notification(started, 1)) == 400  # reached the check, not refused for the token
    form = {"idempotency_key": str(uuid.uuid4()), "kind": "invoices", "amount": "166.01", "invoice": UNPAID}
    assert kowalski.post("/payments/start", data=form).status_code == 400
    assert len(payments(app)) == 1


def test_a_form_key_copied_from_another_customer_starts_the_customers_own_payment(app, kowalski, nowak, operator):
    nowaks = confirm_form(nowak.get(f"/payments/confirm?invoice={NOWAKS}").get_data(as_text=True))
    assert nowak.post("/payments/start", data=nowaks).status_code == 303
    own = confirm_form(kowalski.get(f"/payments/confirm?invoice={UNPAID}").get_data(as_text=True))
    response = kowalski.post("/payments/start", data={**own, "idempotency_key": nowaks["idempotency_key"]})
    assert response.status_code == 303 and response.headers["Location"].startswith("http://p24.test/trnRequest/")
    assert sorted((p.customer_id, p.invoice_ids) for p in payments(app)) == [("K-1001", UNPAID), ("K-1002", NOWAKS)]
    assert len({p.idempotency_key for p in payments(app)}) == 2


def test_choosing_nothing_offers_nothing_to_pay(kowalski, operator):
    response = kowalski.get("/payments/confirm")
    assert response.status_code == 200 and "Nic do zapłaty online" in response.get_data(as_text=True)


def test_a_burst_of_forged_notifications_is_429_after_the_limit_and_the_operator_still_gets_through(
        app, client, started, operator, monkeypatch, caplog):
    """Beyond the limit a forged notification costs no signature check, no lookup and no audit entry; the operator,
    at another address, is not held up by the flood."""
    monkeypatch.setitem(app.config, "PAYMENT_NOTIFICATIONS_PER_MINUTE", 5)
    forger = {"REMOTE_ADDR": "203.0.113.66"}
    forged = _notification(started, 16601, crc="guessed")
    with caplog.at_level(logging.WARNING):
        answers = [client.post("/payments/notify", data=forged, content_type="application/json",
                               environ_base=forger) for _ in range(9)]
    assert [answer.status_code for answer in answers] == [400] * 5 + [429] * 4
    assert all(0 < int(answer.headers["Retry-After"]) <= 60 for answer in answers[5:])
    assert [action for action, _ in audit_actions(app)].count("payment.notification_refused") == 5
    [line] = [record.getMessage() for record in caplog.records if "over 5 a minute" in record.getMessage()]
    assert line.startswith("payment notifications from one address over 5 a minute: refused for ")
    assert "203.0.113.66" not in caplog.text
    assert operator.portal is not None
    operator.portal.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    operator.choose(payments(app)[0].redirect_url or "", "pay")
    assert operator.answers == [200] and payments(app)[0].status == "paid"
