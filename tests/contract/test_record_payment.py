"""`record_payment`, the optional write that hands a paid amount to the ERP, over the fake, both adapters on
recordings and both against the live simulator: refusals with a reason, part of an invoice, the rest booked once,
the invoice and the ledger showing each. The payments are the recorded scenario's (gateway/erp/record.py), made in
its order, since a replay answers a repeated request in recorded order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from adapters.core.errors import ErpRejected
from adapters.core.records import InvoiceStatus, SettlementKind
from gateway.erp.record import RECORDED_PAYMENTS

WRITER = "K-1003"
UNPAID = "INV-202611-00161"  # FV/00161/11/2026: 120,23 zł, nothing paid; the writer's only debt


@pytest.mark.parametrize("refused", ["foreign", "nothing"], ids=["another customers invoice", "nothing paid"])
def test_a_payment_the_erp_cannot_book_is_refused_with_a_reason(port, refused):
    with pytest.raises(ErpRejected) as refusal:
        port.record_payment(WRITER, RECORDED_PAYMENTS[refused])
    assert refusal.value.reason.strip()
    assert port.get_invoice(WRITER, UNPAID).status is InvoiceStatus.UNPAID


def test_part_then_the_rest_is_booked_once_and_the_invoice_and_ledger_show_it(port):
    assert port.get_invoice(WRITER, UNPAID).status is InvoiceStatus.UNPAID
    part = port.record_payment(WRITER, RECORDED_PAYMENTS["part"])
    # The year in a reference is the ERP's current one: the live simulator's clock runs.
    assert part.reference.startswith("WO/") and part.reference.endswith("/000001") and part.status == "booked"
    assert port.get_invoice(WRITER, UNPAID).status is InvoiceStatus.PARTLY_PAID
    [entry] = [e for e in port.get_settlements(WRITER).entries if e.kind is SettlementKind.INVOICE and
               e.invoice_id == UNPAID]
    assert (entry.settled, entry.remaining) == (Decimal("20.23"), Decimal("100.00"))

    rest = port.record_payment(WRITER, RECORDED_PAYMENTS["rest"])
    assert rest.reference == part.reference.replace("/000001", "/000002") and rest.status == "booked"
    assert port.record_payment(WRITER, RECORDED_PAYMENTS["rest"]) == rest
    assert {invoice.id: invoice.status for invoice in port.list_invoices(WRITER)}[UNPAID] is InvoiceStatus.PAID
    assert port.get_invoice(WRITER, UNPAID).status is InvoiceStatus.PAID
    ledger = port.get_settlements(WRITER)
    assert ledger.balance == Decimal("0.00")
    booked = ledger.entries[0]
    assert (booked.kind, booked.document_number, booked.amount, booked.remaining, booked.paid_on) == (
        SettlementKind.PAYMENT, rest.reference, Decimal("100.00"), Decimal("0.00"), date(2026, 12, 5))
    assert [entry.document_number for entry in ledger.entries].count(rest.reference) == 1
