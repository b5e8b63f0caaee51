"""Outgoing payloads: the portal's write records in the reference contract's wire names."""

from __future__ import annotations

from typing import Any

from adapters.core.records import MessageDraft, ReadingSubmission


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


def einvoice_consent(enabled: bool, idempotency_key: str) -> dict[str, Any]:
    return {"enabled": enabled, "idempotencyKey": idempotency_key}
