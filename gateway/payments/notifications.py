"""The operator's notification: believed only when signed, matching the portal's own record, and verified."""

from __future__ import annotations

from enum import Enum

from adapters.payments.errors import BadNotification, PaymentError
from adapters.payments.port import check_matches
from adapters.payments.records import Expected
from gateway.accounts import audit
from gateway.db.database import db
from gateway.payments import store
from gateway.payments.handover import hand_over
from gateway.payments.model import PAID
from gateway.payments.operator import payment_operator


class Outcome(Enum):
    """The answer: 200 taken (or taken before), 400 refused, 503 verify failed (the operator tries again)."""

    TAKEN = 200
    REFUSED = 400
    RETRY = 503


def receive(body: bytes) -> Outcome:
    """Signature, then the record, then verify at the operator, then paid: any failure changes nothing."""
    operator = payment_operator()
    try:
        notification = operator.read_notification(body)
        payment = store.by_session_id(db(), notification.session_id)
        if payment is None:
            raise BadNotification("unknown session")
        check_matches(notification, Expected(payment.session_id, payment.amount, payment.currency))
    except BadNotification as error:
        audit.record("payment.notification_refused", reason=error.reason)
        db().commit()
        return Outcome.REFUSED
    if payment.status == PAID:
        return Outcome.TAKEN
    try:
        operator.verify(notification)
    except PaymentError as error:
        audit.record("payment.verify_failed", payment_id=payment.id, reason=str(error)[:200])
        db().commit()
        return Outcome.RETRY
    if store.mark_paid(db(), payment, notification.order_id):
        audit.record("payment.paid", payment_id=payment.id, amount=str(payment.amount), order_id=notification.order_id)
        hand_over(payment, notification.order_id)
    db().commit()
    return Outcome.TAKEN
