"""A signed-in customer reaching for a business customer's KSeF invoice: its page, printable view and FA(3) file
are a 404 before the ERP is asked about it, and no page or log shows its KSeF number."""

from __future__ import annotations

import logging

from tests.hostile.checks import assert_safe, timed

BAKERYS_INVOICES = {"INV-202610-00182": "7561000001-20261005-06359AE5CBA9-B2", "INV-202611-00153": None}


def test_another_customers_ksef_invoice_and_its_xml_are_404(kowalski, billing, logs):
    for invoice_id, number in BAKERYS_INVOICES.items():
        for url in (f"/invoices/{invoice_id}/ksef-xml", f"/invoices/{invoice_id}/print", f"/invoices/{invoice_id}"):
            result = timed(kowalski.get, url)
            assert_safe(result, logs, statuses=(404,), log_level=logging.WARNING, never=[number] if number else [])
    asked = [(operation, args) for operation, args in billing.calls if operation != "list_invoices"]
    assert not [call for call in asked if "K-1004" in call[1] or set(BAKERYS_INVOICES) & set(call[1])], asked
    assert {args for operation, args in billing.calls if operation == "list_invoices"} == {("K-1001",)}
