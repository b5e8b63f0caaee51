"""FakeBilling: the demo store behind the port, every reply through the same schemas as the real adapters."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from adapters.core.errors import ErpBadResponse, ErpNotFound, ErpRejected
from adapters.core.operations import OPERATIONS
from adapters.core.port import BillingPort
from adapters.core.records import (
    Attachment,
    InvoiceStatus,
    MessageDraft,
    MessageKind,
    MeterStatus,
    PremiseKind,
    ReadingSubmission,
    ReadingType,
)
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture(scope="module")
def store():
    return DemoStore.load(clock=lambda: NOW)


@pytest.fixture
def port(store):
    store.reset()
    return FakeBilling(store)


def test_every_port_operation_is_implemented():
    assert all(callable(getattr(FakeBilling, name)) for name in OPERATIONS)
    assert FakeBilling.perform is not BillingPort.perform


def test_reads_give_records(port):
    customer = port.get_customer("K-1001")
    assert [p.kind for p in customer.premises] == [PremiseKind.HOUSE, PremiseKind.GARDEN]
    assert customer.masked_tax_id.endswith(customer.tax_id[-3:])
    assert {m.status for m in port.list_meters("K-1001")} == {MeterStatus.ACTIVE, MeterStatus.REMOVED}
    assert [m.serial for m in port.list_meters("K-1001", serial_contains="js25")] == ["JS25-1187342"]
    readings = port.list_readings("K-1002", "W-1002-1")
    assert readings[0].consumption is None and readings[-1].type is ReadingType.CUSTOMER
    assert len(port.list_contracts("K-1001")) == 3


def test_invoices_settlements_and_files(port):
    summaries = port.list_invoices("K-1002")
    assert summaries[0].issued_on == date(2026, 11, 5) and summaries[0].status is InvoiceStatus.UNPAID
    invoice = port.get_invoice("K-1002", summaries[0].id)
    assert sum(line.gross for line in invoice.lines) == invoice.gross
    assert port.get_invoice_pdf("K-1002", invoice.id).content.startswith(b"%PDF")
    assert port.get_settlements("K-1002").balance > Decimal("0")
    assert port.get_contract_scan("K-1002", "U-1002-1").filename.endswith(".pdf")
    documents = port.list_documents("K-1002")
    assert port.get_document("K-1002", documents[0].id).content_type == "application/pdf"


def test_load_test_customer_answers_too(port):
    invoices = port.list_invoices("K-1005")
    assert len(invoices) == 1000
    assert port.get_invoice_pdf("K-1005", invoices[-1].id).content.startswith(b"%PDF")


def test_writes_go_out_in_wire_format_and_come_back_as_receipts(port):
    submission = ReadingSubmission("W-1002-1", date(2026, 11, 26), Decimal("290.5"), "key-1", note="")
    assert port.submit_reading("K-1002", submission).status == "pending"
    assert port.list_readings("K-1002", "W-1002-1")[-1].value == Decimal("290.500")
    draft = MessageDraft(MessageKind.COMPLAINT, "Wyciek", "Przed wodomierzem cieknie.", "key-2",
                         attachments=(Attachment("zdjęcie.jpg", "image/jpeg", b"\xff\xd8"),), premise_id="P-1002-1")
    receipt = port.send_message("K-1002", draft)
    newest = port.list_messages("K-1002")[0]
    assert newest.case_number == receipt.reference and newest.attachment_names == ("zdjęcie.jpg",)
    assert port.set_einvoice_consent("K-1001", True, "key-3").status == "accepted"
    assert all(c.einvoice_consent for c in port.list_contracts("K-1001") if c.status.value != "terminated")


def test_store_errors_pass_through_as_port_errors(port):
    with pytest.raises(ErpNotFound):
        port.get_invoice("K-1001", port.list_invoices("K-1002")[0].id)
    with pytest.raises(ErpRejected) as caught:
        port.submit_reading("K-1001", ReadingSubmission("W-1001-1", date(2026, 11, 26), Decimal("1"), "k"))
    assert "zdemontowany" in caught.value.reason


class BrokenBackend(DemoStore):
    """A store that forgets a required field, as a faulty ERP might."""

    def get_customer(self, customer_id):
        reply = super().get_customer(customer_id)
        del reply["fullName"]
        return reply


def test_a_reply_the_contract_forbids_is_a_bad_response(store):
    port = FakeBilling(BrokenBackend(store.dataset, clock=lambda: NOW))
    with pytest.raises(ErpBadResponse) as caught:
        port.get_customer("K-1001")
    assert caught.value.field == "fullName"
