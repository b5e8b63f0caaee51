"""Writes the customer still sees as their own: waiting to be passed on, or taken by the ERP lately and perhaps
not yet in its answers (an ERP may apply a write after it has taken it)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from adapters.core.records import ReadingSubmission
from gateway.clock import utcnow
from gateway.outbox.accept import submissions
from gateway.outbox.codec import READING
from gateway.outbox.model import DELIVERED, PENDING, REJECTED, OutboxItem

# How long the start page keeps showing a refused reading, so that the customer learns of the refusal.
REFUSAL_SHOWN_FOR = timedelta(days=7)


def await_window() -> timedelta:
    """How long after delivery a write stands in for the ERP's answer that does not show it yet."""
    return timedelta(hours=float(current_app.config["OUTBOX_AWAIT_ERP_HOURS"]))


def awaits_erp(item: OutboxItem) -> bool:
    """Waiting, or taken within the window: the page shows it where the ERP's answer does not yet."""
    if item.status == PENDING:
        return True
    return item.status == DELIVERED and item.finished_at is not None and item.finished_at >= utcnow() - await_window()


def readings_not_taken(customer_id: str) -> list[tuple[OutboxItem, ReadingSubmission]]:
    """For the start page: the customer's readings still waiting to be passed on, and those refused lately."""
    refused_since = utcnow() - REFUSAL_SHOWN_FOR
    return [(item, write) for item, write in submissions(customer_id, READING)
            if isinstance(write, ReadingSubmission) and (item.status == PENDING or (
                item.status == REJECTED and item.finished_at is not None and item.finished_at >= refused_since))]
