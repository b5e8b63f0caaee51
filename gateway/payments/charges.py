"""What one payment pays for, computed by the portal from the ERP's own data: never an amount from the browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Collection, Iterable

from adapters.core.port import BillingPort
from adapters.core.records import InvoiceStatus, InvoiceSummary, Settlements
from gateway.erp.dues import ZERO, invoice_entry, left_to_pay, overdue_entries
from gateway.payments.model import KIND_INVOICES, KIND_OVERDUE


@dataclass(frozen=True)
class Charge:
    """A sum to pay online: its kind, the invoice ids it pays (sorted) and the amount."""

    kind: str
    invoice_ids: tuple[str, ...]
    amount: Decimal
    numbers: tuple[str, ...] = ()

    def target(self, customer_id: str) -> str:
        """Who pays what: the same invoices, or the same overdue set, name the same open payment."""
        return f"{customer_id}:{self.kind}:{' '.join(self.invoice_ids)}"[:400]

    @property
    def payable(self) -> bool:
        return self.amount > 0


def invoice_left(settlements: Settlements | None, invoice: InvoiceSummary) -> Decimal:
    """The ledger's remainder of the invoice; without a ledger line the gross of an unpaid invoice; else nothing
    (a partly paid invoice whose remainder the ERP cannot tell is not paid online)."""
    entry = invoice_entry(settlements, invoice.id) if settlements is not None else None
    if entry is not None:
        return left_to_pay(entry)
    return invoice.gross if invoice.status is InvoiceStatus.UNPAID else ZERO


def invoices_charge(port: BillingPort, customer_id: str, invoices: Iterable[InvoiceSummary],
                    blocked: Collection[str]) -> Charge:
    """The remainders of the chosen invoices the customer owns (the caller checked that), those already paid at the
    operator or with nothing left left out."""
    settlements = port.get_settlements(customer_id)
    chosen = sorted({invoice.id: invoice for invoice in invoices}.values(), key=lambda invoice: invoice.id)
    owed = [(invoice, invoice_left(settlements, invoice)) for invoice in chosen if invoice.id not in blocked]
    owed = [(invoice, left) for invoice, left in owed if left > 0]
    return Charge(KIND_INVOICES, tuple(invoice.id for invoice, _ in owed), sum((left for _, left in owed), ZERO),
                  tuple(invoice.number for invoice, _ in owed))


def overdue_charge(port: BillingPort, customer_id: str, today: date, blocked: Collection[str]) -> Charge:
    """What is overdue today (gateway/erp/dues.py), less what the customer already paid at the operator."""
    late = [entry for entry in overdue_entries(port.get_settlements(customer_id).entries, today)
            if entry.invoice_id not in blocked]
    ids = tuple(sorted({entry.invoice_id for entry in late if entry.invoice_id}))
    return Charge(KIND_OVERDUE, ids, sum((left_to_pay(entry) for entry in late), ZERO),
                  tuple(entry.document_number for entry in late))
