"""RestBilling against the reference simulator over real HTTP on loopback: every operation, writes, faults."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import requests

from adapters.core.errors import ErpBadResponse, ErpNotFound, ErpRejected, ErpUnavailable
from adapters.core.records import Attachment, MessageDraft, MessageKind, MeterStatus, ReadingSubmission
from adapters.core.settings import ErpSettings
from adapters.rest.billing import RestBilling
from adapters.wire import http
from fixtures.simulator.auth import DEMO
from fixtures.simulator.faults import FaultPlan
from fixtures.simulator.server import running_simulator
from fixtures.simulator.store import DemoStore

pytestmark = pytest.mark.simulator

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
OWNER, STRANGER, WRITER = "K-1001", "K-1002", "K-1003"
DETAILS = 2  # detail calls per list: enough to cover each kind, few enough to stay fast


@pytest.fixture(scope="module")
def store():
    return DemoStore.load(clock=lambda: NOW)


@pytest.fixture(scope="module")
def faults():
    return FaultPlan()


@pytest.fixture(scope="module")
def base_url(store, faults):
    with running_simulator(store=store, faults=faults) as url:
        yield url


@pytest.fixture(autouse=True)
def fresh(base_url, monkeypatch):
    """Each test starts from the dataset as loaded, with no faults, and retries without a pause."""
    monkeypatch.setattr(http, "RETRY_JITTER_SECONDS", (0.0, 0.0))
    requests.post(f"{base_url}/_sim/reset", timeout=5).raise_for_status()


@pytest.fixture
def port(base_url):
    return RestBilling(ErpSettings(url=f"{base_url}/api/v1", username=DEMO.username,
                                   password=DEMO.password, connect_timeout=2, read_timeout=2, deadline=5))


@pytest.mark.parametrize("customer_id", ["K-1001", "K-1002", "K-1003", "K-1004", "K-1005", "K-1006"])
def test_every_read_matches_the_store(port, store, customer_id):
    assert port.get_customer(customer_id).id == customer_id
    contracts = port.list_contracts(customer_id)
    stored = store.list_contracts(customer_id)["contracts"]
    assert [c.id for c in contracts] == [c["contractId"] for c in stored]
    for scanned in [c for c in contracts if c.has_scan][:DETAILS]:
        assert port.get_contract_scan(customer_id, scanned.id).content.startswith(b"%PDF")
    for meter in port.list_meters(customer_id):
        expected = store.list_readings(customer_id, meter.id)["readings"]
        values = [f"{r.value:.3f}" for r in port.list_readings(customer_id, meter.id)]
        assert values == [r["value"] for r in expected]
    invoices = port.list_invoices(customer_id)
    assert [i.id for i in invoices] == [i["invoiceId"] for i in store.list_invoices(customer_id)["invoices"]]
    for summary in invoices[:DETAILS]:
        assert port.get_invoice(customer_id, summary.id).gross == summary.gross
        pdf = port.get_invoice_pdf(customer_id, summary.id)
        assert (pdf.content_type, pdf.content[:4]) == ("application/pdf", b"%PDF")
    balance = port.get_settlements(customer_id).balance
    assert balance == Decimal(store.get_settlements(customer_id)["balance"])
    for document in port.list_documents(customer_id)[:DETAILS]:
        assert len(port.get_document(customer_id, document.id).content) == document.size
    assert len(port.list_messages(customer_id)) == len(store.list_messages(customer_id)["messages"])


def test_file_names_come_through_the_content_disposition(port, store):
    [scanned, *_] = [c for c in port.list_contracts(OWNER) if c.has_scan]
    expected = store.get_contract_scan(OWNER, scanned.id)["fileName"]
    assert port.get_contract_scan(OWNER, scanned.id).filename == expected


def test_meter_filter_reaches_the_store(port):
    meters = port.list_meters(OWNER)
    part = meters[0].serial[-4:].lower()
    assert {m.id for m in port.list_meters(OWNER, part)} == {m.id for m in meters if part in m.serial.lower()}


def test_other_customers_objects_are_not_found(port):
    invoice = port.list_invoices(OWNER)[0]
    with pytest.raises(ErpNotFound):
        port.get_invoice(STRANGER, invoice.id)
    with pytest.raises(ErpNotFound):
        port.get_invoice_pdf(STRANGER, invoice.id)
    with pytest.raises(ErpNotFound):
        port.get_customer("K-0000")


def test_contract_without_a_scan_is_not_found(port):
    unscanned = [c for c in port.list_contracts(OWNER) if not c.has_scan]
    with pytest.raises(ErpNotFound):
        port.get_contract_scan(OWNER, unscanned[0].id)


def _next_reading(port, key, step="1.000"):
    meter = next(m for m in port.list_meters(WRITER) if m.status is MeterStatus.ACTIVE)
    last = port.list_readings(WRITER, meter.id)[-1]
    return ReadingSubmission(meter.id, NOW.date(), last.value + Decimal(step), key, "z testu")


def test_reading_is_taken_once_per_key(port):
    submission = _next_reading(port, "rest-reading-1")
    first = port.submit_reading(WRITER, submission)
    assert port.submit_reading(WRITER, submission) == first
    readings = port.list_readings(WRITER, submission.meter_id)
    assert [r.value for r in readings].count(submission.value) == 1


def test_same_key_with_another_reading_is_refused(port):
    submission = _next_reading(port, "rest-reading-2")
    port.submit_reading(WRITER, submission)
    with pytest.raises(ErpRejected):
        port.submit_reading(WRITER, _next_reading(port, "rest-reading-2", step="5.000"))


def test_reading_lower_than_the_last_is_refused_in_polish(port):
    submission = _next_reading(port, "rest-reading-3", step="-1.000")
    with pytest.raises(ErpRejected) as refused:
        port.submit_reading(WRITER, submission)
    assert "niższe" in refused.value.reason


def test_message_with_an_attachment_becomes_a_case(port):
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    draft = MessageDraft(
        MessageKind.COMPLAINT, "Zawyżone zużycie", "Proszę o sprawdzenie.", "rest-message-1",
        (Attachment("zdjęcie licznika.pdf", "application/pdf", pdf),),
    )
    receipt = port.send_message(WRITER, draft)
    [sent] = [m for m in port.list_messages(WRITER) if m.case_number == receipt.reference]
    assert sent.attachment_names == ("zdjęcie licznika.pdf",)


def test_message_the_erp_cannot_take_is_refused_with_its_reason(port):
    draft = MessageDraft(MessageKind.INQUIRY, "x" * 300, "Treść", "rest-message-2")
    with pytest.raises(ErpRejected) as refused:
        port.send_message(WRITER, draft)
    assert (refused.value.code, refused.value.reason.startswith("Temat")) == ("INVALID", True)


def test_einvoice_consent_reaches_every_contract_in_force(port):
    assert port.set_einvoice_consent(WRITER, True, "rest-consent-1").reference
    in_force = [c for c in port.list_contracts(WRITER) if c.status.value != "terminated"]
    assert in_force and all(c.einvoice_consent for c in in_force)


@pytest.mark.parametrize(
    "mode, error",
    [
        ("status_500", ErpUnavailable),
        ("status_503", ErpUnavailable),
        ("malformed", ErpBadResponse),
        ("html_200", ErpBadResponse),
        ("wrong_content_type", ErpBadResponse),
    ],
)
def test_faults_become_typed_errors(port, faults, mode, error):
    faults.set("get_settlements", mode)
    with pytest.raises(error):
        port.get_settlements(OWNER)


def test_pdf_served_as_html_is_refused(port, faults):
    faults.set("get_invoice_pdf", "html_200")
    with pytest.raises(ErpBadResponse, match="expected application/pdf"):
        port.get_invoice_pdf(OWNER, port.list_invoices(OWNER)[0].id)


def test_one_failed_read_is_retried(port, faults):
    faults.set("list_invoices", "status_503", count=1)
    assert port.list_invoices(OWNER)


def test_failed_write_is_not_retried(port, faults):
    faults.set("set_einvoice_consent", "status_503", count=1)
    with pytest.raises(ErpUnavailable):
        port.set_einvoice_consent(WRITER, False, "rest-consent-2")
    assert port.set_einvoice_consent(WRITER, False, "rest-consent-2").reference


def test_slow_reply_times_out(base_url, faults):
    fast = RestBilling(ErpSettings(url=f"{base_url}/api/v1", username=DEMO.username,
                                   password=DEMO.password, connect_timeout=1, read_timeout=0.2,
                                   deadline=1))
    faults.set("get_customer", "timeout", value=0.6, count=2)
    with pytest.raises(ErpUnavailable):
        fast.get_customer(OWNER)


def test_dripping_reply_is_cut_at_the_deadline(base_url, faults):
    fast = RestBilling(ErpSettings(url=f"{base_url}/api/v1", username=DEMO.username,
                                   password=DEMO.password, connect_timeout=1, read_timeout=1,
                                   deadline=0.3))
    faults.set("get_customer", "drip", value=50)
    with pytest.raises(ErpUnavailable, match="deadline"):
        fast.get_customer(OWNER)


def test_refused_connection_is_unavailable():
    closed = RestBilling(ErpSettings(url="http://127.0.0.1:9/api/v1", connect_timeout=0.5))
    with pytest.raises(ErpUnavailable):
        closed.get_customer(OWNER)
