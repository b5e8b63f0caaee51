"""What the customer sees of their payments: per invoice, and the recent payments on the start and settlements pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Collection, Iterable, Mapping, Sequence

from flask import current_app

from adapters.core.errors import ErpError
from adapters.core.records import InvoiceStatus, InvoiceSummary
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.erp.billing import billing
from gateway.outbox.handover import handover_states
from gateway.outbox.model import DELIVERED, PENDING
from gateway.payments import hint, store
from gateway.payments.handover import handover_key
from gateway.payments.model import OVER, PAID, STARTED, Payment
from gateway.payments.operator import abandon_after, payments_enabled
from gateway.web.ownership import customer_id
from gateway.web.sessions import signed_in_account

# The states shown: started at the operator; paid there (the utility books it from the bank statement); paid and
# handed to the ERP, which offers to book it (gateway/payments/handover.py); booked (the ERP shows the invoice
# paid); failed or cancelled (it may be paid again).
SHOWN_STARTED, SHOWN_PAID, SHOWN_BOOKED, SHOWN_FAILED = "started", "paid", "booked", "failed"
SHOWN_HANDED = "handed"
WAITING = (SHOWN_PAID, SHOWN_HANDED)
# A handover waiting for the ERP or taken by it; a refused one leaves the payment to the bank statement.
HANDING = (PENDING, DELIVERED)


@dataclass(frozen=True)
class PaymentStates:
    """The customer's recent payments and each invoice's state; `blocked`: invoices not to offer now."""

    payments: tuple[Payment, ...] = ()
    by_invoice: Mapping[str, str] | None = None
    enabled: bool = False
    invoices: Mapping[str, InvoiceSummary] | None = None
    handed: frozenset[int] = frozenset()  # ids of paid payments handed to the ERP

    def of_payment(self, payment: Payment) -> str:
        return shown_state(payment, [(self.invoices or {}).get(i) for i in payment.invoices], payment.id in self.handed)

    def of(self, invoice_id: str) -> str | None:
        return (self.by_invoice or {}).get(invoice_id)

    @property
    def blocked(self) -> frozenset[str]:
        """Paid at the operator, not yet booked by the ERP: never offered again (a started one leads to itself)."""
        return frozenset(i for i, state in (self.by_invoice or {}).items() if state in WAITING)

    @property
    def key(self) -> tuple[tuple[str, str], ...]:
        """By value, for the invoice list's fragment cache: a new state renders the list anew."""
        return tuple(sorted((self.by_invoice or {}).items()))


def shown_state(payment: Payment, invoices: Sequence[InvoiceSummary | None], handed: bool = False) -> str:
    """A paid payment is booked once the ERP shows its invoices paid; one left at the operator too long has failed."""
    if payment.status == PAID:
        booked = bool(invoices) and all(i is not None and i.status is InvoiceStatus.PAID for i in invoices)
        return SHOWN_BOOKED if booked else SHOWN_HANDED if handed else SHOWN_PAID
    if payment.status in OVER or store.is_abandoned(payment, abandon_after()):
        return SHOWN_FAILED
    return SHOWN_STARTED


def invoice_states(payments: Sequence[Payment], invoices: Iterable[InvoiceSummary],
                   handed: Collection[int] = ()) -> dict[str, str]:
    """Each invoice's newest payment decides its state; a paid one outranks a later failed attempt."""
    known = {invoice.id: invoice for invoice in invoices}
    states: dict[str, str] = {}
    for payment in payments:  # newest first
        for invoice_id in payment.invoices:
            state = shown_state(payment, [known.get(invoice_id)], payment.id in handed)
            if invoice_id not in states or (states[invoice_id] == SHOWN_FAILED and state != SHOWN_FAILED):
                states[invoice_id] = state
    return states


def payment_states(customer_id: str, invoices: Iterable[InvoiceSummary]) -> PaymentStates:
    """One query, and only where payments are on and the account's hint says there may be some to show."""
    if not payments_enabled():
        return PaymentStates()
    known = {invoice.id: invoice for invoice in invoices}
    account = signed_in_account()
    if not hint.may_have_payments_since(account, _window_start()):
        return PaymentStates((), {}, True, known)
    payments = tuple(store.recent(db(), customer_id, _window_start()))
    hint.learn(account)
    handed = handed_over(customer_id, payments)
    return PaymentStates(payments, invoice_states(payments, known.values(), handed), True, known, handed)


def handed_over(customer_id: str, payments: Iterable[Payment]) -> frozenset[int]:
    """The paid payments whose handover to the ERP waits or was taken: a query only when some are paid."""
    keys = {key: payment.id for payment in payments if payment.status == PAID and (key := handover_key(payment))}
    found = handover_states(db(), customer_id, keys)
    return frozenset(keys[key] for key, status in found.items() if status in HANDING)


def _window_start() -> datetime:
    return utcnow() - timedelta(days=float(current_app.config["PAYMENT_STATES_DAYS"]))


def states_for_page(invoices: Iterable[InvoiceSummary] | None = None) -> PaymentStates:
    """The template global: the page's invoices, else the customer's list (a cached ERP read) to tell booked ones;
    nothing at all, not even a query, where payments are off, and no ERP call where the hint says none to show."""
    if not payments_enabled():
        return PaymentStates()
    if not hint.may_have_payments_since(signed_in_account(), _window_start()):
        return PaymentStates((), {}, True, {})
    if invoices is None:
        try:
            invoices = billing().list_invoices(customer_id())
        except ErpError:
            invoices = ()
    return payment_states(customer_id(), invoices)


def is_open(payment: Payment) -> bool:
    return payment.status == STARTED and not store.is_abandoned(payment, abandon_after())
