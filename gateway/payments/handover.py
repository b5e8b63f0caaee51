"""The paid amount handed to the ERP where it offers to book it (`record_payment`); elsewhere the utility books
it from the bank statement, and the pages say so."""

from __future__ import annotations

from datetime import timezone

from adapters.core.records import PaymentRecord, payment_key
from gateway.accounts import audit
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.erp.billing import billing
from gateway.outbox.handover import is_queued, queue_payment
from gateway.outbox.runner import wake_delivery
from gateway.payments.model import Payment
from gateway.payments.store import amount_text

RECORD_PAYMENT = "record_payment"


def payment_record(payment: Payment, order_id: int) -> PaymentRecord:
    """What the ERP books: the operator's transaction, when (UTC, with its offset), how much and for which
    invoices (the ERP settles them oldest due first, the rest an overpayment)."""
    paid_at = (payment.paid_at or utcnow()).replace(tzinfo=timezone.utc, microsecond=0)
    return PaymentRecord(str(order_id), payment.operator, paid_at, payment.amount, tuple(payment.invoices))


def handover_key(payment: Payment) -> str | None:
    """The outbox key of a paid payment's handover (the operator's transaction id decides it)."""
    if payment.order_id is None:
        return None
    return payment_key(payment.operator, str(payment.order_id))


def hand_over(payment: Payment, order_id: int) -> bool:
    """Queue the handover in the transaction that marked the payment paid (this commits it); nothing where the ERP
    does not offer the operation. True when queued (and the deliverer woken)."""
    if not billing().offers(RECORD_PAYMENT):
        return False
    record = payment_record(payment, order_id)
    if is_queued(db(), record.idempotency_key):
        # The operator named another payment so (a sandbox that reuses ids): the office books this one by hand.
        audit.record("payment.handover_key_taken", payment_id=payment.id, key=record.idempotency_key)
        return False
    summary = f"{amount_text(payment.amount)} {payment.invoice_ids}".strip()
    queue_payment(db(), payment.customer_id, payment.account_id, record, summary)
    wake_delivery()
    return True
