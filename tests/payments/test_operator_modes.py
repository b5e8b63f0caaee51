"""Each way the Przelewy24 simulator can be told to misbehave, and what the portal makes of it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fixtures.p24.app import create_p24
from fixtures.simulator.server import running_app
from gateway.app import create_app
from tests.payments.fixtures import UNPAID, audit_actions, payments, start_payment
from tests.portal_fixtures import add_account, sign_in


def _text(response: Any) -> str:
    return response.get_data(as_text=True)


def test_a_notification_sent_twice_pays_once(app, kowalski, operator):
    operator.modes(notify="twice")
    operator.choose(start_payment(kowalski, UNPAID).headers["Location"], "pay")
    assert operator.answers == [200, 200]
    [payment] = payments(app)
    assert payment.status == "paid"
    assert [action for action, _ in audit_actions(app)] == ["payment.started", "payment.paid"]


def test_a_notification_with_a_bad_signature_changes_nothing(app, kowalski, operator):
    operator.modes(notify="bad_signature")
    operator.choose(start_payment(kowalski, UNPAID).headers["Location"], "pay")
    assert operator.answers == [400] and payments(app)[0].status == "started"
    assert audit_actions(app)[-1] == ("payment.notification_refused", {"reason": "bad signature"})
    assert operator.transactions()[0]["verified"] is False


def test_a_notification_for_another_amount_changes_nothing(app, kowalski, operator):
    operator.modes(notify="wrong_amount")
    operator.choose(start_payment(kowalski, UNPAID).headers["Location"], "pay")
    assert operator.answers == [400] and payments(app)[0].status == "started"
    assert audit_actions(app)[-1] == ("payment.notification_refused", {"reason": "amount mismatch"})


def test_a_notification_that_never_comes_leaves_the_payment_started(app, kowalski, operator):
    operator.modes(notify="never")
    back = operator.choose(start_payment(kowalski, UNPAID).headers["Location"], "pay")
    assert operator.answers == []
    page = _text(kowalski.get(back.replace("http://portal.test", "")))
    assert "Operator nie potwierdził jeszcze tej płatności" in page and payments(app)[0].status == "started"


def test_an_operator_that_fails_to_register_leaves_a_failed_payment(app, kowalski, operator):
    operator.modes(register="fail")
    response = start_payment(kowalski, UNPAID)
    [payment] = payments(app)
    assert payment.status == "failed" and response.headers["Location"] == f"/payments/{payment.session_id}"
    assert "Spróbuj ponownie" in _text(kowalski.get(response.headers["Location"]))


def test_an_operator_that_times_out_is_not_asked_twice(config, billing):
    """On a socket: the portal waits P24_TIMEOUT (0,3 s), never the simulator's whole 1 s, and registers once."""
    simulator = create_p24()
    modes = simulator.extensions["p24_ledger"].modes
    modes.register, modes.delay = "timeout", 1.0
    with running_app(simulator) as url:
        app = create_app({**config, "P24_URL": url}, billing=billing)
        add_account(app)
        client = app.test_client()
        sign_in(client)
        response = start_payment(client, UNPAID)
    [payment] = payments(app)
    assert payment.status == "failed" and payment.amount == Decimal("166.01")
    assert response.headers["Location"] == f"/payments/{payment.session_id}"
    assert audit_actions(app)[-1][0] == "payment.failed"
    assert simulator.extensions["p24_ledger"].registers == 1
