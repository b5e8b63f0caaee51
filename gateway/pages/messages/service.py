"""What the message pages read and send, as plain functions over the port."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flask_babel import lazy_gettext as _l

from adapters.core.port import BillingPort
from adapters.core.records import InvoiceSummary, Message, MessageDraft, MessageKind, MessageStatus, Premise
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.erp.concurrent import gather
from gateway.outbox.accept import accept
from gateway.outbox.awaiting import await_window
from gateway.outbox.codec import MESSAGE
from gateway.outbox.listing import SHOWN_FOR, Submission, not_shown
from gateway.outbox.model import OutboxItem
from gateway.web.sessions import current_account

KINDS = {
    MessageKind.COMPLAINT: _l("complaint"),
    MessageKind.INQUIRY: _l("inquiry"),
    MessageKind.REQUEST: _l("request"),
}
STATUSES = {
    MessageStatus.RECEIVED: _l("received"),
    MessageStatus.IN_PROGRESS: _l("in progress"),
    MessageStatus.ANSWERED: _l("answered"),
    MessageStatus.CLOSED: _l("closed"),
}
# The invoice list offers only the latest ones: a customer with 1,000 invoices still gets a usable form
# (an older one comes in through the invoice's own link, ?invoice=<id>).
RECENT_INVOICES = 24
# The newest messages still on their way (or refused) that the list shows above the ERP's.
WAITING_SHOWN = 20


@dataclass(frozen=True)
class LinkChoices:
    """What a message may be tied to; None where the ERP could not list it now (the form goes without)."""

    premises: list[Premise] | None
    invoices: list[InvoiceSummary] | None


@dataclass(frozen=True)
class MessageLinks:
    """The premise's address and the invoice's number a message is tied to, for its details page."""

    premise: str | None
    invoice: str | None


def link_choices(port: BillingPort, customer_id: str, timeout: float, invoice_id: str | None = None) -> LinkChoices:
    """The customer's premises and latest invoices (plus invoice_id when it is theirs), asked concurrently."""
    got = gather({"customer": lambda: port.get_customer(customer_id),
                  "invoices": lambda: port.list_invoices(customer_id)}, timeout)
    premises = list(got["customer"].value.premises) if got["customer"].ok else None
    invoices = recent_invoices(got["invoices"].value, invoice_id) if got["invoices"].ok else None
    return LinkChoices(premises, invoices)


def recent_invoices(invoices: list[InvoiceSummary], keep_id: str | None = None) -> list[InvoiceSummary]:
    """The newest few, and the one with keep_id wherever it is in the list."""
    newest = sorted(invoices, key=lambda invoice: invoice.issued_on, reverse=True)
    chosen = newest[:RECENT_INVOICES]
    chosen += [invoice for invoice in newest[RECENT_INVOICES:] if invoice.id == keep_id]
    return chosen


def message_links(port: BillingPort, customer_id: str, message: Message, timeout: float) -> MessageLinks:
    """Names instead of ids where the ERP answers; the bare id where it does not."""
    choices = link_choices(port, customer_id, timeout, message.invoice_id)
    premise = next((str(p.address) for p in choices.premises or () if p.id == message.premise_id), None)
    invoice = next((i.number for i in choices.invoices or () if i.id == message.invoice_id), None)
    return MessageLinks(premise or message.premise_id, invoice or message.invoice_id)


def newest_first(messages: list[Message]) -> list[Message]:
    """The port promises this order; sorting again costs little and keeps the page right if an ERP does not."""
    return sorted(messages, key=lambda message: message.sent_at, reverse=True)


def send_message(customer_id: str, draft: MessageDraft) -> OutboxItem:
    """Kept in the outbox; the draft's idempotency key makes a double submit file one case, not two."""
    return accept(customer_id, current_account(), draft, draft.subject)


def sent_lately(customer_id: str, listed: Sequence[Message] | None) -> list[Submission]:
    """Messages sent from the portal lately that the ERP's list (None: it did not answer) does not show yet:
    waiting, refused, or taken under a case number not listed yet. Newest first."""
    shown = {message.case_number for message in listed or ()}
    since = utcnow() - await_window() if listed is not None else utcnow()
    return not_shown(db(), customer_id, MESSAGE, WAITING_SHOWN, shown, since)


def sent_from_portal(customer_id: str) -> list[Submission]:
    """For an ERP that lists no messages: every message the customer sent from the portal lately, taken or not,
    so what they did stays in sight. Newest first."""
    return not_shown(db(), customer_id, MESSAGE, WAITING_SHOWN, (), utcnow() - SHOWN_FOR)
