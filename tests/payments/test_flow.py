"""Paying online end to end over the Przelewy24 simulator: confirm, the row written first, the operator's page,
the verified notification, the return page, the states on the invoice pages; a failure and a retry."""

from __future__ import annotations

import uuid
from decimal import Decimal

from tests.payments.fixtures import PAID, PARTLY, UNPAID, confirm_form, payments, start_payment


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_confirmation_shows_the_amount_the_portal_computed(kowalski, operator):
    response = kowalski.get(f"/payments/confirm?invoice={UNPAID}&invoice={PARTLY}")
    # Its form ends at the operator's page: that origin, and no other, is added to form-action.
    assert "form-action 'self' http://p24.test;" in response.headers["Content-Security-Policy"]
    page = _text(response)
    assert "183,15 zł" in page and "FV/00116/11/2026, FV/00117/11/2026" in page
    assert "Zapłać 183,15 zł" in page


def test_paying_an_invoice_end_to_end(app, kowalski, operator):
    response = start_payment(kowalski, UNPAID)
    assert response.status_code == 303 and response.headers["Location"].startswith("http://p24.test/trnRequest/")
    [payment] = payments(app)
    assert (payment.status, payment.amount, payment.invoice_ids) == ("started", Decimal("166.01"), UNPAID)
    assert operator.transactions()[0]["amount"] == 16601
    back = operator.choose(response.headers["Location"], "pay")
    assert back == f"http://portal.test/payments/{payment.session_id}/return"
    assert operator.answers == [200] and operator.transactions()[0]["verified"] is True
    page = _text(kowalski.get(f"/payments/{payment.session_id}/return"))
    assert "Opłacono online i przekazano do przedsiębiorstwa" in page
    assert payments(app)[0].status == "paid" and payments(app)[0].order_id == 300000001
    details = _text(kowalski.get(f"/invoices/{UNPAID}"))
    assert "Opłacono online i przekazano do przedsiębiorstwa" in details and "/payments/confirm?invoice=" not in details


def test_a_paid_invoice_is_not_offered_again_until_booked(app, kowalski, operator):
    form = confirm_form(_text(kowalski.get(f"/payments/confirm?invoice={UNPAID}")))
    operator.choose(kowalski.post("/payments/start", data=form).headers["Location"], "pay")
    assert "Nic do zapłaty online" in _text(kowalski.get(f"/payments/confirm?invoice={UNPAID}"))
    again = kowalski.post("/payments/start", data={**form, "idempotency_key": str(uuid.uuid4())})
    assert again.status_code == 409 and "Nic do zapłaty online" in _text(again)
    assert len(payments(app)) == 1


def test_a_failed_payment_can_be_retried(app, kowalski, operator):
    first = start_payment(kowalski, PARTLY)
    back = operator.choose(first.headers["Location"], "fail")
    session_id = payments(app)[0].session_id
    page = _text(kowalski.get(back.replace("http://portal.test", "")))
    assert "Operator nie potwierdził jeszcze tej płatności" in page
    assert kowalski.post(f"/payments/{session_id}/cancel").status_code == 303
    page = _text(kowalski.get(f"/payments/{session_id}"))
    assert "Płatność online nie powiodła się lub została anulowana" in page and "Spróbuj ponownie" in page
    retry = start_payment(kowalski, PARTLY)
    assert retry.status_code == 303
    operator.choose(retry.headers["Location"], "pay")
    assert [p.status for p in payments(app)] == ["cancelled", "paid"]
    assert payments(app)[1].amount == Decimal("17.14")


def test_the_overdue_balance_is_paid_in_one_payment(app, kowalski, operator):
    response = start_payment(kowalski, overdue=True)
    [payment] = payments(app)
    assert (payment.kind, payment.amount, payment.invoice_ids) == ("overdue", Decimal("183.15"), f"{UNPAID} {PARTLY}")
    operator.choose(response.headers["Location"], "pay")
    home = _text(kowalski.get("/"))
    assert "Opłacono online i przekazano do przedsiębiorstwa" in home


def test_an_operator_that_fails_leaves_a_failed_payment_to_retry(app, kowalski, operator):
    operator.modes(register="fail")
    response = start_payment(kowalski, UNPAID)
    [payment] = payments(app)
    assert response.headers["Location"] == f"/payments/{payment.session_id}" and payment.status == "failed"
    operator.modes(register="ok")
    assert start_payment(kowalski, UNPAID).status_code == 303 and len(payments(app)) == 2


def test_a_paid_invoice_has_nothing_to_pay(kowalski, operator):
    assert "Nic do zapłaty online" in _text(kowalski.get(f"/payments/confirm?invoice={PAID}"))


def test_the_invoice_list_offers_unpaid_invoices_and_shows_states(kowalski, operator):
    before = _text(kowalski.get("/invoices/"))
    assert f'name="invoice" value="{UNPAID}" form="pay-chosen"' in before
    assert f'name="invoice" value="{PAID}"' not in before
    operator.choose(start_payment(kowalski, UNPAID).headers["Location"], "pay")
    after = _text(kowalski.get("/invoices/"))  # the list's kept fragment is not reused: its key holds the states
    assert f'name="invoice" value="{UNPAID}"' not in after and f'name="invoice" value="{PARTLY}"' in after
    assert "Opłacono online i przekazano do przedsiębiorstwa" in after


def test_settlements_offer_the_overdue_amount_and_list_payments(kowalski, operator):
    assert "/payments/confirm?overdue=1" in _text(kowalski.get("/settlements/"))
    start_payment(kowalski, PARTLY)
    page = _text(kowalski.get("/settlements/"))
    assert "Płatności online" in page and "17,14 zł, Płatność rozpoczęta" in page
