"""Outgoing payloads: the portal's write records in the reference contract's wire names."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from adapters.core.operations import Operation
from adapters.core.records import MessageDraft, PaymentRecord, ReadingSubmission


def reading_submission(submission: ReadingSubmission) -> dict[str, Any]:
    """Value as a string with three decimals, so no float ever touches a meter reading."""
    return {
        "meterId": submission.meter_id,
        "readingDate": submission.date.isoformat(),
        "value": f"{submission.value:.3f}",
        "note": submission.note,
        "idempotencyKey": submission.idempotency_key,
    }


def message_draft(draft: MessageDraft) -> dict[str, Any]:
    """Attachments carry raw bytes here; each protocol encodes them its own way (base64 in both)."""
    return {
        "messageType": draft.kind.value,
        "subject": draft.subject,
        "body": draft.body,
        "premiseId": draft.premise_id,
        "invoiceId": draft.invoice_id,
        "idempotencyKey": draft.idempotency_key,
        "attachments": [
            {"fileName": a.filename, "contentType": a.content_type, "content": a.content}
            for a in draft.attachments
        ],
    }


def payment_record(payment: PaymentRecord) -> dict[str, Any]:
    """The amount as a string with two decimals and the instant with its offset: no float, no naive time."""
    return {
        "transactionId": payment.transaction_id,
        "operator": payment.operator,
        "paidAt": payment.paid_at.isoformat(timespec="seconds"),
        "amount": f"{payment.amount:.2f}",
        "invoiceIds": list(payment.invoice_ids),
        "idempotencyKey": payment.idempotency_key,
    }


def request_params(operation: Operation, customer_id: str, args: tuple[Any, ...]) -> dict[str, Any]:
    """An operation's request in wire names, the customer first: what SOAP sends as elements, REST in its path,
    query and body, and the simulator's store takes."""
    params: dict[str, Any] = {"customerId": customer_id}
    for name, value in zip(operation.args, args):
        if operation.record:
            params.update(_RECORDS[type(value)](value))
        else:
            params[name] = value
    return params


_RECORDS: dict[type, Callable[[Any], dict[str, Any]]] = {
    ReadingSubmission: reading_submission,
    MessageDraft: message_draft,
    PaymentRecord: payment_record,
}


def backend_args(operation: Operation, params: Mapping[str, Any]) -> tuple[Any, ...]:
    """The request as a wire backend's method (the demo store's) takes it: the customer id, then a write's
    content as one dict, or each argument by itself."""
    if operation.record:
        return params["customerId"], {key: value for key, value in params.items() if key != "customerId"}
    return (params["customerId"], *(params.get(name) for name in operation.args))
