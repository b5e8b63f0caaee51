"""The billing port's contract: the same assertions over the fake, both adapters on recordings, and both
adapters against the live simulator. Calls stay within the recorded scenario (gateway/erp/record.py)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

from adapters.core.errors import ErpNotFound, ErpRejected
from adapters.core.records import (
    DocumentCategory,
    Invoice,
    MeterStatus,
    ReadingSubmission,
    SettlementKind,
)
from adapters.wire import schemas
from fixtures.simulator.dataset import load_dataset
from gateway.erp.record import (
    RECORDED_KEYS,
    RECORDED_READING_DATE,
    UNKNOWN_CUSTOMER,
    recorded_message,
    recorded_reading,
)
from tests.contract import expected

OWNER, STRANGER, WRITER = "K-1001", "K-1002", "K-1003"


def test_customer_has_data_and_premises(port, expect):
    customer = port.get_customer(OWNER)
    assert customer == expect(expected.CUSTOMER)
    assert customer.masked_tax_id.endswith(customer.tax_id[-3:])
    assert customer.tax_id[:-3] not in customer.masked_tax_id


def test_unknown_customer_is_not_found(port):
    with pytest.raises(ErpNotFound):
        port.get_customer(UNKNOWN_CUSTOMER)


def test_contracts_belong_to_the_customers_premises(port, expect):
    premises = {premise.id for premise in port.get_customer(OWNER).premises}
    contracts = port.list_contracts(OWNER)
    assert contracts == expect(expected.CONTRACTS)
    assert all(contract.premise_id in premises for contract in contracts)
    assert all(contract.valid_to is None or contract.valid_to >= contract.valid_from for contract in contracts)


def test_contract_scan_is_a_pdf_or_not_found(port, expect):
    contracts = port.list_contracts(OWNER)
    scanned = [contract for contract in contracts if contract.has_scan]
    assert [contract.id for contract in scanned] == ["U-1001-1"]
    scan = port.get_contract_scan(OWNER, "U-1001-1")
    assert scan == expect(expected.CONTRACT_SCAN) and scan.content.startswith(b"%PDF")
    for contract in contracts:
        if not contract.has_scan:
            with pytest.raises(ErpNotFound):
                port.get_contract_scan(OWNER, contract.id)


def test_meters_include_a_removed_one_and_its_replacement(port, expect):
    meters = port.list_meters(OWNER)
    assert meters == expect(expected.METERS)
    removed = [meter for meter in meters if meter.status is MeterStatus.REMOVED]
    assert removed and all(meter.removed_on for meter in removed)
    replacing = [meter for meter in meters if meter.replaces_meter_id]
    assert {meter.replaces_meter_id for meter in replacing} <= {meter.id for meter in meters}


def test_meter_filter_matches_part_of_the_serial_in_any_case(port, expect):
    meters = port.list_meters(OWNER)
    part = meters[0].serial[-4:].lower()
    assert part == "2187"
    found = port.list_meters(OWNER, part)
    assert found == expect(expected.METERS[:1])
    assert found and all(part in meter.serial.lower() for meter in found)
    assert {meter.id for meter in found} == {meter.id for meter in meters if part in meter.serial.lower()}


def test_readings_are_oldest_first_with_consumption_from_the_previous_value(port, expect):
    readings = port.list_readings(OWNER, "W-1001-2")
    assert len(readings) == expected.READING_COUNT
    assert readings[:3] == expect(expected.FIRST_READINGS)
    for meter in port.list_meters(OWNER):
        readings = port.list_readings(OWNER, meter.id)
        assert [reading.date for reading in readings] == sorted(reading.date for reading in readings)
        for before, after in zip(readings, readings[1:]):
            assert isinstance(after.value, Decimal)
            if after.consumption is not None:
                assert after.consumption == after.value - before.value


def test_invoices_are_newest_first_and_add_up(port, expect):
    invoices = port.list_invoices(OWNER)
    assert len(invoices) == expected.INVOICE_COUNT
    assert invoices[:3] == expect(expected.LATEST_INVOICES)
    assert [invoice.issued_on for invoice in invoices] == sorted((i.issued_on for i in invoices), reverse=True)
    assert all(invoice.net + invoice.vat == invoice.gross for invoice in invoices)
    assert all(isinstance(invoice.issued_on, date) for invoice in invoices)


def test_invoice_details_have_lines_that_sum_to_the_totals(port, expect):
    summary = expected.LATEST_INVOICES[0]
    details = {field.name: getattr(summary, field.name) for field in fields(summary)}
    assert port.get_invoice(OWNER, summary.id) == expect(Invoice(**details, lines=expected.LATEST_INVOICE_LINES))
    for summary in port.list_invoices(OWNER)[:2]:
        invoice = port.get_invoice(OWNER, summary.id)
        assert invoice.number == summary.number
        assert invoice.lines
        assert sum(line.gross for line in invoice.lines) == invoice.gross
        assert sum(line.net for line in invoice.lines) == invoice.net


def test_invoice_pdf_is_a_pdf(port):
    summary = port.list_invoices(OWNER)[0]
    pdf = port.get_invoice_pdf(OWNER, summary.id)
    assert pdf.content.startswith(b"%PDF")
    assert pdf.content_type == "application/pdf"
    assert pdf.filename.endswith(".pdf") and "/" not in pdf.filename


def test_settlements_balance_and_every_entry_adds_up(port, expect):
    settlements = port.get_settlements(OWNER)
    assert settlements.balance == expected.BALANCE
    assert len(settlements.entries) == expected.ENTRY_COUNT
    assert list(settlements.entries[:4]) == expect(expected.FIRST_ENTRIES)
    kinds = set()
    for customer_id in (OWNER, STRANGER):
        settlements = port.get_settlements(customer_id)
        assert isinstance(settlements.balance, Decimal)
        for entry in settlements.entries:
            assert entry.settled + entry.remaining == entry.amount
            kinds.add(entry.kind)
    assert {SettlementKind.INVOICE, SettlementKind.PAYMENT, SettlementKind.PREPAYMENT} <= kinds
    assert {SettlementKind.OVERPAYMENT, SettlementKind.INTEREST_NOTE} <= kinds


def test_documents_are_public_and_personal_and_download(port, expect):
    documents = port.list_documents(OWNER)
    assert documents == expect(expected.DOCUMENTS)
    assert port.get_document(OWNER, "DOC-1001-1") == expect(expected.OWN_DOCUMENT)
    assert any(document.public for document in documents)
    assert any(document.category is DocumentCategory.PERSONAL for document in documents)
    for document in documents:
        content = port.get_document(OWNER, document.id)
        assert content.content_type == document.content_type
        assert content.content


def test_messages_carry_replies(port, expect):
    messages = port.list_messages(OWNER)
    assert messages == expect(expected.MESSAGES)
    assert any(message.replies for message in messages)


def test_another_customers_invoice_is_not_found(port):
    invoice = port.list_invoices(OWNER)[0]
    with pytest.raises(ErpNotFound):
        port.get_invoice(STRANGER, invoice.id)


def test_another_customers_meter_readings_are_not_found(port):
    meter = port.list_meters(OWNER)[0]
    with pytest.raises(ErpNotFound):
        port.list_readings(STRANGER, meter.id)


def test_writes_are_taken_refused_with_a_reason_and_shown(port):
    submission = recorded_reading(port, WRITER)
    assert submission is not None
    receipt = port.submit_reading(WRITER, submission)
    assert receipt.reference.startswith("OD/") and receipt.status == "pending"
    too_low = ReadingSubmission(
        submission.meter_id, RECORDED_READING_DATE, Decimal("0.000"), RECORDED_KEYS["too-low"], "nagranie"
    )
    with pytest.raises(ErpRejected) as refused:
        port.submit_reading(WRITER, too_low)
    assert refused.value.reason
    message_receipt = port.send_message(WRITER, recorded_message())
    assert message_receipt.status == "received"
    sent = [message for message in port.list_messages(WRITER) if message.case_number == message_receipt.reference]
    assert sent and sent[0].subject == recorded_message().subject
    assert sent[0].attachment_names == ("zdjecie-licznika.pdf",)
    consent = port.set_einvoice_consent(WRITER, True, RECORDED_KEYS["consent"])
    assert consent.reference.startswith("EF/") and consent.status == "accepted"


def test_every_invoice_reading_and_settlement_entry_comes_through_whole(port, expect):
    """Every record, not only the examples above, equals the dataset's: an adapter that drops or mixes up a
    field on some records only (a SOAP list item, a REST page) fails here."""
    raw = load_dataset().customers[OWNER]
    invoices = schemas.load_list("list_invoices", schemas.INVOICE_SUMMARY, raw, "invoices")
    by_id = sorted(invoices, key=lambda invoice: invoice.id)
    assert sorted(port.list_invoices(OWNER), key=lambda invoice: invoice.id) == expect(by_id)
    settlements = schemas.load_one("get_settlements", schemas.SETTLEMENTS, raw["settlements"])
    assert port.get_settlements(OWNER) == expect(settlements)
    for meter_id, readings in raw["readings"].items():
        loaded = schemas.load_list("list_readings", schemas.READING, {"readings": readings}, "readings")
        assert port.list_readings(OWNER, meter_id) == sorted(loaded, key=lambda reading: reading.date), meter_id
