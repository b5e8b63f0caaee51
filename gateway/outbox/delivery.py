"""Delivering the outbox to the ERP: each write once per attempt, with its idempotency key, never twice
at the same time; refused writes keep the ERP's reason, unavailable ones wait and try again. A write the ERP
can never take (it calls the request malformed) or the portal can no longer read ends as refused, not retried
for ever."""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass

from sqlalchemy.orm import Session

from adapters.core.errors import ErpError, ErpNotOffered, ErpNotSent, ErpRejected
from adapters.core.port import BillingPort
from adapters.core.records import MessageDraft, PaymentRecord, ReadingSubmission, WriteReceipt
from gateway.clock import utcnow
from gateway.db.models import AuditEntry
from gateway.outbox import store
from gateway.outbox.codec import ConsentChange, UnreadableWrite, Write, decode
from gateway.outbox.model import OutboxItem

log = logging.getLogger(__name__)

# Shown to the customer as the reason (stored like the ERP's own reasons, which are Polish too).
UNREADABLE_REASON = ("Portal nie może odczytać tego zgłoszenia, więc nie zostało ono przekazane. "
                     "Prosimy Państwa o ponowne wysłanie lub kontakt z biurem obsługi klienta.")
# A write accepted before the ERP stopped offering it (IT's ERP_NOT_OFFERED): it will never be taken.
NOT_OFFERED_REASON = ("System rozliczeniowy nie przyjmuje już takich zgłoszeń przez portal. "
                      "Prosimy Państwa o kontakt z biurem obsługi klienta.")


@dataclass
class DeliveryReport:
    delivered: int = 0
    rejected: int = 0
    retrying: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def send(port: BillingPort, customer_id: str, write: Write) -> WriteReceipt:
    if isinstance(write, ReadingSubmission):
        return port.submit_reading(customer_id, write)
    if isinstance(write, MessageDraft):
        return port.send_message(customer_id, write)
    if isinstance(write, PaymentRecord):
        return port.record_payment(customer_id, write)
    assert isinstance(write, ConsentChange)
    return port.set_einvoice_consent(customer_id, write.enabled, write.idempotency_key)


def deliver_item(session: Session, port: BillingPort, item: OutboxItem, report: DeliveryReport) -> None:
    """One attempt at one claimed row; the outcome (and its audit entry) is committed before the next row."""
    try:
        write = decode(item.kind, item.payload, item.idempotency_key)
    except UnreadableWrite as error:
        _refuse(session, item, report, UNREADABLE_REASON, code="UNREADABLE", error=str(error))
        return
    try:
        receipt = send(port, item.customer_id, write)
    except ErpRejected as refusal:
        _refuse(session, item, report, refusal.reason, code=refusal.code)
    except ErpNotOffered as error:
        _refuse(session, item, report, NOT_OFFERED_REASON, code="NOT_OFFERED", error=str(error))
    except ErpError as error:
        # Only an error that proves nothing left leaves the write changeable; any other one, plain ErpUnavailable
        # from a plugin included, may have reached the ERP.
        store.retry_later(session, item, f"{type(error).__name__}: {error.message}",
                          maybe_sent=not isinstance(error, ErpNotSent))
        report.retrying += 1
        log.warning("outbox item %s not delivered yet: %s", item.id, error)
    else:
        _audit(session, item, "delivered", reference=receipt.reference)
        store.mark_delivered(session, item, receipt.reference)
        report.delivered += 1


def _refuse(session: Session, item: OutboxItem, report: DeliveryReport, reason: str, **detail: str) -> None:
    """Final: the customer sees the reason, kept on the row; the audit log its code and what went wrong, never the
    ERP's words (they may quote the customer) nor the payload."""
    _audit(session, item, "rejected", **detail)
    store.mark_rejected(session, item, reason)
    report.rejected += 1
    log.info("outbox item %s refused: %s", item.id, detail.get("error") or f"by the ERP ({detail['code']})")


def _audit(session: Session, item: OutboxItem, outcome: str, **detail: str) -> None:
    """The write's fate in the audit log, attributed to the account that made it."""
    facts = {"outbox_id": item.id, "idempotency_key": item.idempotency_key, **detail}
    session.add(AuditEntry(actor="outbox", account_id=item.account_id, action=f"{item.kind}.{outcome}",
                           detail=json.dumps(facts, ensure_ascii=False, sort_keys=True), client_address=None))


def deliver_due(session: Session, port: BillingPort, worker: str | None = None, limit: int = 50) -> DeliveryReport:
    """Deliver what is due now; rows another deliverer holds are left to it."""
    report = DeliveryReport()
    worker = worker or worker_name()
    for item_id in store.due_ids(session, utcnow(), limit):
        item = store.claim(session, item_id, worker, utcnow())
        if item is not None:
            deliver_item(session, port, item, report)
    return report
