"""Starting a payment: the row written first, then the operator asked; one click never starts two payments."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from adapters.payments.amounts import AmountError
from adapters.payments.errors import PaymentError
from adapters.payments.records import PaymentOrder
from gateway.accounts import audit
from gateway.accounts.active import active_customer_id
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import Account
from gateway.payments import hint, store
from gateway.payments.charges import Charge
from gateway.payments.model import FAILED, STARTED, Payment
from gateway.payments.operator import abandon_after, payment_operator, public_url

DESCRIPTION_LENGTH = 1024


@dataclass(frozen=True)
class Started:
    """Where the customer goes next: the operator's page, or the portal's page of a payment (existing, failed)."""

    payment: Payment
    redirect_url: str | None


def start(account: Account, charge: Charge, idempotency_key: str) -> Started:
    """Write the payment (or find the one this form, or another tab, already started), then register it."""
    owner = active_customer_id(account)  # a linked customer's payment is that customer's
    found = _existing(owner, charge, idempotency_key)
    if found is not None:
        return Started(found, None)
    if store.by_key(db(), idempotency_key) is not None:
        # Keys are random per form; one that another customer used was copied, not drawn: draw a new one.
        idempotency_key = str(uuid.uuid4())
    payment = Payment(session_id=secrets.token_hex(16), idempotency_key=idempotency_key,
                      customer_id=owner, account_id=account.id, kind=charge.kind,
                      invoice_ids=" ".join(charge.invoice_ids), open_target=charge.target(owner),
                      amount=charge.amount, currency="PLN", status=STARTED, operator=_operator_name())
    db().add(payment)
    hint.note_started(owner, utcnow())
    try:
        db().commit()
    except IntegrityError:  # the same form twice at one moment, or two tabs for the same invoices
        db().rollback()
        again = _existing(owner, charge, idempotency_key)
        assert again is not None, "a unique column clashed, so its row exists"
        return Started(again, None)
    return Started(payment, _register(account, payment, charge))


def _existing(customer_id: str, charge: Charge, idempotency_key: str) -> Payment | None:
    """This form's payment, or an open one for any of the same invoices; a key from another customer is no match."""
    by_key = store.by_key(db(), idempotency_key)
    if by_key is not None and by_key.customer_id == customer_id:
        return by_key
    store.close_abandoned(db(), customer_id, abandon_after())
    db().commit()
    recent = store.recent(db(), customer_id, utcnow() - abandon_after())
    ids = charge.invoice_ids or (charge.kind,)
    return next((payment for payment in recent if payment.status == STARTED and
                 (set(payment.invoices) & set(ids) or payment.open_target == charge.target(customer_id))), None)


def _register(account: Account, payment: Payment, charge: Charge) -> str | None:
    """The operator's page for the payer; None when the operator refused or did not answer (the payment failed, and
    may be started again)."""
    order = PaymentOrder(
        session_id=payment.session_id, amount=payment.amount, description=description(charge)[:DESCRIPTION_LENGTH],
        email=account.email[:50], return_url=public_url(url_for("payments.returned", session_id=payment.session_id)),
        notification_url=public_url(url_for("payments.notify")),
    )
    try:
        registration = payment_operator().register(order)
    except (PaymentError, AmountError) as error:
        store.finish(db(), payment, FAILED)
        audit.record("payment.failed", account, payment_id=payment.id, reason=str(error)[:200])
        db().commit()
        return None
    payment.redirect_url = registration.redirect_url
    audit.record("payment.started", account, payment_id=payment.id, amount=str(payment.amount), kind=payment.kind)
    db().commit()
    return registration.redirect_url


def description(charge: Charge) -> str:
    """What the payer's bank statement says: the invoice numbers, or the overdue balance."""
    if charge.kind == "overdue":
        return _("Overdue balance: %(numbers)s", numbers=", ".join(charge.numbers))
    return _("Invoices %(numbers)s", numbers=", ".join(charge.numbers))


def _operator_name() -> str:
    return str(current_app.config["PAYMENT_OPERATOR"])[:32]
