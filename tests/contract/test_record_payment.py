"""`record_payment`, the optional write that hands a paid amount to the ERP, over the fake and both adapters against
the live simulator (the recordings predate it): booked once, the invoice shown paid, refusals with a reason."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from adapters.core.errors import ErpRejected
from adapters.core.records import InvoiceStatus, PaymentRecord, SettlementKind

OWNER = "K-1001"
UNPAID = "INV-202611-00116"  # FV/00116/11/2026: 166,01 zł, nothing paid
PARTLY = "INV-202611-00117"  # FV/00117/11/2026: 17,14 zł left of 34,29 zł
NOWAKS = "INV-202611-00132"  # K-1002's
PAID_AT = datetime(2026, 12, 5, 14, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def live(kind, port):
    """Only where the ERP takes writes: the recordings hold no payment."""
    if kind.endswith("-replay"):
        pytest.skip("the recorded scenario predates record_payment")
    return port


def _payment(transaction: str, amount: str, *invoice_ids: str) -> PaymentRecord:
    return PaymentRecord(transaction, "przelewy24", PAID_AT, Decimal(amount), invoice_ids)


def test_a_payment_is_booked_once_and_the_invoices_show_it(live):
    payment = _payment("300000001", "183.15", UNPAID, PARTLY)
    first = live.record_payment(OWNER, payment)
    assert first.reference.startswith("WO/") and first.reference.endswith("/000001") and first.status == "booked"
    assert live.record_payment(OWNER, payment) == first
    statuses = {invoice.id: invoice.status for invoice in live.list_invoices(OWNER)}
    assert statuses[UNPAID] is InvoiceStatus.PAID and statuses[PARTLY] is InvoiceStatus.PAID
    assert live.get_invoice(OWNER, UNPAID).status is InvoiceStatus.PAID
    ledger = live.get_settlements(OWNER)
    assert ledger.balance == Decimal("0.00")
    booked = ledger.entries[0]
    assert (booked.kind, booked.document_number, booked.amount, booked.remaining, booked.paid_on) == (
        SettlementKind.PAYMENT, first.reference, Decimal("183.15"), Decimal("0.00"), date(2026, 12, 5))
    assert [entry.document_number for entry in ledger.entries].count(first.reference) == 1


def test_part_of_an_invoice_leaves_it_partly_paid(live):
    live.record_payment(OWNER, _payment("300000002", "66.01", UNPAID))
    assert live.get_invoice(OWNER, UNPAID).status is InvoiceStatus.PARTLY_PAID
    [entry] = [e for e in live.get_settlements(OWNER).entries if e.kind is SettlementKind.INVOICE and
               e.invoice_id == UNPAID]
    assert (entry.settled, entry.remaining) == (Decimal("66.01"), Decimal("100.00"))


@pytest.mark.parametrize("payment", [
    _payment("300000003", "10.00", NOWAKS),
    _payment("300000004", "0.00", UNPAID),
], ids=["another customers invoice", "nothing paid"])
def test_a_payment_the_erp_cannot_book_is_refused_with_a_reason(live, payment):
    with pytest.raises(ErpRejected) as refused:
        live.record_payment(OWNER, payment)
    assert refused.value.reason.strip()
    assert live.get_invoice(OWNER, UNPAID).status is InvoiceStatus.UNPAID
