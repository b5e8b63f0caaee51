"""The outbox payload: a write record as JSON and back, attachments included (base64) until the write is
finished; then only their names, types and sizes stay."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from adapters.core.records import Attachment, MessageDraft, MessageKind, PaymentRecord, ReadingSubmission

READING, MESSAGE, EINVOICE_CONSENT = "reading", "message", "einvoice_consent"
# A payment made online, handed to an ERP that offers to book it (gateway/payments/handover.py).
PAYMENT = "payment"
# The port operation that delivers each kind: its row in the operation table says what the write makes stale.
DELIVERED_BY = {READING: "submit_reading", MESSAGE: "send_message", EINVOICE_CONSENT: "set_einvoice_consent",
                PAYMENT: "record_payment"}


class UnreadableWrite(ValueError):
    """A stored payload that no longer decodes (edited by hand, or written by an older release)."""


@dataclass(frozen=True)
class ConsentChange:
    enabled: bool
    idempotency_key: str


# What a customer writes (accept.py), and every write the outbox delivers: the portal adds paid amounts.
CustomerWrite = ReadingSubmission | MessageDraft | ConsentChange
Write = CustomerWrite | PaymentRecord


def kind_of(write: Write) -> str:
    if isinstance(write, ReadingSubmission):
        return READING
    if isinstance(write, MessageDraft):
        return MESSAGE
    if isinstance(write, PaymentRecord):
        return PAYMENT
    return EINVOICE_CONSENT


def encode(write: Write) -> str:
    if isinstance(write, ReadingSubmission):
        data: dict[str, Any] = {"meter_id": write.meter_id, "date": write.date.isoformat(), "value": str(write.value),
                                "note": write.note}
    elif isinstance(write, MessageDraft):
        data = {"kind": write.kind.value, "subject": write.subject, "body": write.body,
                "premise_id": write.premise_id, "invoice_id": write.invoice_id,
                "attachments": [{"filename": a.filename, "content_type": a.content_type, "size": len(a.content),
                                 "content": base64.b64encode(a.content).decode("ascii")} for a in write.attachments]}
    elif isinstance(write, PaymentRecord):
        data = {"transaction_id": write.transaction_id, "operator": write.operator,
                "paid_at": write.paid_at.isoformat(), "amount": str(write.amount),
                "invoice_ids": list(write.invoice_ids)}
    else:
        data = {"enabled": write.enabled}
    return json.dumps(data, ensure_ascii=False)


def without_attachment_bytes(kind: str, payload: str) -> str:
    """The payload of a finished write: the ERP has the files or refused them, so the portal keeps only what the
    customer's list shows of them (name, type, size)."""
    if kind != MESSAGE:
        return payload
    try:
        data = json.loads(payload)
        for attachment in data["attachments"]:
            content = attachment.pop("content", None)
            if content is not None and "size" not in attachment:  # kept before sizes were stored
                attachment["size"] = len(base64.b64decode(content))
    except (ValueError, KeyError, TypeError, AttributeError):  # an unreadable write stays as it was, for the office
        return payload
    return json.dumps(data, ensure_ascii=False)


def decode(kind: str, payload: str, idempotency_key: str) -> Write:
    """The write record again; a finished message's attachments come back without their bytes."""
    try:
        return _decode(kind, json.loads(payload), idempotency_key)
    # binascii.Error (bad base64) is a ValueError, decimal.InvalidOperation an ArithmeticError
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError) as error:
        raise UnreadableWrite(f"{kind}: {type(error).__name__}") from None


def _decode(kind: str, data: Any, idempotency_key: str) -> Write:
    if kind == READING:
        return ReadingSubmission(data["meter_id"], date.fromisoformat(data["date"]), Decimal(data["value"]),
                                 idempotency_key, data["note"])
    if kind == MESSAGE:
        attachments = tuple(Attachment(a["filename"], a["content_type"], base64.b64decode(a.get("content", "")))
                            for a in data["attachments"])
        return MessageDraft(MessageKind(data["kind"]), data["subject"], data["body"], idempotency_key, attachments,
                            data["premise_id"], data["invoice_id"])
    if kind == PAYMENT:
        return PaymentRecord(str(data["transaction_id"]), str(data["operator"]),
                             datetime.fromisoformat(data["paid_at"]), Decimal(data["amount"]),
                             tuple(str(i) for i in data["invoice_ids"]))
    return ConsentChange(bool(data["enabled"]), idempotency_key)
