"""The SAP UMC example over the UMC simulator: every page UMC can serve gets the demo's records, scoped to the
customer, and a web firewall's HTML page is a reply that does not fit, never a crash."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import requests

from adapters.kit import (
    Address,
    ErpBadResponse,
    ErpNotFound,
    ErpNotOffered,
    ErpRejected,
    InvoiceStatus,
    PremiseKind,
    ReadingSubmission,
    SettlementKind,
    WriteReceipt,
)
from tests.mapping.conftest import control_url


def test_the_customer_comes_with_address_contacts_and_each_premise_once(sap):
    customer = sap.get_customer("K-1001")
    assert (customer.id, customer.name, customer.email, customer.phone) == (
        "K-1001", "Jan Kowalski", "jan.kowalski@example.com", "+48 600 100 101")
    assert customer.address == Address("ul. Klonowa 7", "47-100", "Strzelce Opolskie")
    assert [(premise.id, premise.kind) for premise in customer.premises] == [
        ("P-1001-1", PremiseKind.HOUSE), ("P-1001-2", PremiseKind.GARDEN)]
    assert customer.tax_id is None  # UMC keeps no PESEL or NIP


def test_every_invoice_is_read_across_the_servers_pages_newest_first(sap):
    invoices = sap.list_invoices("K-1001")
    assert len(invoices) == 63  # 25 + 25 + 13, following d.__next
    first = invoices[0]
    assert (first.id, first.number, first.issued_on, first.due_on, first.gross, first.status) == (
        "INV-202611-00117", "FV/00117/11/2026", date(2026, 11, 5), date(2026, 11, 19), Decimal("34.29"),
        InvoiceStatus.PARTLY_PAID)
    assert first.net is None and first.period_from is None  # UMC has no net/VAT split and no period


def test_the_ledger_holds_invoices_and_payments_and_the_balance_left_to_pay(sap):
    settlements = sap.get_settlements("K-1001")
    assert settlements.balance == Decimal("183.15")
    payment = next(entry for entry in settlements.entries if entry.document_number == "WB/2026/1001/016")
    assert (payment.kind, payment.paid_on, payment.amount, payment.remaining, payment.invoice_id) == (
        SettlementKind.PAYMENT, date(2026, 11, 14), Decimal("17.15"), Decimal("0.00"), "INV-202611-00117")


def test_readings_come_oldest_first_with_their_codes_translated(sap):
    readings = sap.list_readings("K-1001", "W-1001-3")
    last = readings[-1]
    assert (last.date, last.value, last.type.value, last.status.value) == (
        date(2026, 11, 20), Decimal("336.482"), "customer", "rejected")
    assert [reading.date for reading in readings] == sorted(reading.date for reading in readings)


def test_the_invoice_pdf_is_the_erps_file(sap):
    pdf = sap.get_invoice_pdf("K-1001", "INV-202611-00117")
    assert (pdf.filename, pdf.content_type, pdf.content[:5]) == ("FV-00117-11-2026.pdf", "application/pdf", b"%PDF-")


@pytest.mark.parametrize("call", [
    lambda sap: sap.get_invoice("K-1002", "INV-202611-00117"),
    lambda sap: sap.get_invoice_pdf("K-1002", "INV-202611-00117"),
    lambda sap: sap.list_readings("K-1002", "W-1001-3"),
    lambda sap: sap.get_customer("K-0000"),
    lambda sap: sap.get_invoice("K-1001", "."),
])
def test_another_customers_object_is_not_found(sap, call):
    with pytest.raises(ErpNotFound):
        call(sap)


def test_what_umc_does_not_have_is_not_offered(sap):
    assert "list_messages" not in sap.offered_operations
    with pytest.raises(ErpNotOffered):
        sap.list_documents("K-1001")


def test_a_reading_is_posted_with_a_csrf_token_once_however_often_sent(sap, umc_reset):
    submission = ReadingSubmission("W-1001-3", date(2026, 12, 1), Decimal("437.000"), "key-1")
    first = sap.submit_reading("K-1001", submission)
    assert first == WriteReceipt("W-1001-3-20261201", "pending")
    assert sap.submit_reading("K-1001", submission) == first
    with pytest.raises(ErpRejected) as caught:
        sap.submit_reading("K-1001", ReadingSubmission("W-1001-3", date(2026, 12, 2), Decimal("1"), "key-2"))
    assert "niższe" in caught.value.reason  # SAP's own Polish reason, fit for the customer


def test_the_web_firewalls_html_page_is_a_reply_that_does_not_fit(sap, sap_umc_url, umc_reset):
    requests.post(control_url(sap_umc_url, "firewall"), json={"enabled": True}, timeout=5).raise_for_status()
    with pytest.raises(ErpBadResponse, match="expected application/json, got text/html"):
        sap.list_invoices("K-1001")
