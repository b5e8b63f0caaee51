"""SoapBilling against the reference simulator over real HTTP on loopback: every operation, faults, and the XSD."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import requests
import zeep
from lxml import etree

from adapters.core.errors import ErpBadResponse, ErpNotFound, ErpRejected, ErpUnavailable
from adapters.core.records import Attachment, MessageDraft, MessageKind, MeterStatus, ReadingSubmission
from adapters.core.settings import ErpSettings
from adapters.soap.billing import SoapBilling
from adapters.soap.client import CONTRACT_DIR
from adapters.soap.envelope import NAMESPACE, SOAP_ENV
from adapters.wire import http
from fixtures.simulator.auth import DEMO
from fixtures.simulator.server import running_simulator
from fixtures.simulator.soap_codec import contract
from fixtures.simulator.store import DemoStore

pytestmark = pytest.mark.simulator

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
OWNER, STRANGER = "K-1001", "K-1002"
DETAILS = 2  # detail calls per list: enough to cover each kind, few enough to stay fast
NS = {"s": SOAP_ENV, "e": NAMESPACE}


@pytest.fixture(scope="module")
def store():
    return DemoStore.load(clock=lambda: NOW)


@pytest.fixture(scope="module")
def base_url(store):
    with running_simulator(store=store) as url:
        yield url


@pytest.fixture(autouse=True)
def fresh(request, monkeypatch):
    """Each test starts from the dataset as loaded, with no faults, and retries without a pause."""
    monkeypatch.setattr(http, "RETRY_JITTER_SECONDS", (0.0, 0.0))
    requests.post(f"{request.getfixturevalue('base_url')}/_sim/reset", timeout=5).raise_for_status()


@pytest.fixture
def port(base_url):
    return SoapBilling(ErpSettings(url=f"{base_url}/soap", username=DEMO.username,
                                   password=DEMO.password, connect_timeout=2, read_timeout=2, deadline=5))


@pytest.fixture(scope="module")
def xsd():
    return etree.XMLSchema(etree.parse(str(CONTRACT_DIR / "ibok-erp.xsd")))


@pytest.mark.parametrize("customer_id", ["K-1001", "K-1002", "K-1003", "K-1004", "K-1005", "K-1006"])
def test_every_read_matches_the_store(port, store, customer_id):
    customer = port.get_customer(customer_id)
    assert customer.id == customer_id
    assert [p.id for p in customer.premises] == [p["premiseId"] for p in store.get_customer(customer_id)["premises"]]
    contracts = port.list_contracts(customer_id)
    assert [c.id for c in contracts] == [c["contractId"] for c in store.list_contracts(customer_id)["contracts"]]
    for scanned in [c for c in contracts if c.has_scan][:DETAILS]:
        assert port.get_contract_scan(customer_id, scanned.id).content.startswith(b"%PDF")
    meters = port.list_meters(customer_id)
    assert len(meters) == len(store.list_meters(customer_id)["meters"])
    for meter in meters:
        expected = store.list_readings(customer_id, meter.id)["readings"]
        assert [str(r.value) for r in port.list_readings(customer_id, meter.id)] == [r["value"] for r in expected]
    invoices = port.list_invoices(customer_id)
    assert [i.id for i in invoices] == [i["invoiceId"] for i in store.list_invoices(customer_id)["invoices"]]
    for summary in invoices[:DETAILS]:
        invoice = port.get_invoice(customer_id, summary.id)
        assert invoice.gross == summary.gross and invoice.lines
        assert port.get_invoice_pdf(customer_id, summary.id).content.startswith(b"%PDF")
    settlements = port.get_settlements(customer_id)
    assert settlements.balance == Decimal(store.get_settlements(customer_id)["balance"])
    assert len(settlements.entries) == len(store.get_settlements(customer_id)["entries"])
    for document in port.list_documents(customer_id)[:DETAILS]:
        assert port.get_document(customer_id, document.id).content
    assert len(port.list_messages(customer_id)) == len(store.list_messages(customer_id)["messages"])


def test_serial_filter_and_removed_meters(port):
    meters = port.list_meters(OWNER)
    assert any(meter.status is MeterStatus.REMOVED and meter.removed_on for meter in meters)
    part = meters[0].serial[-4:].lower()
    assert {m.id for m in port.list_meters(OWNER, part)} == {m.id for m in meters if part in m.serial.lower()}


def test_another_customers_objects_do_not_exist(port):
    invoice = port.list_invoices(STRANGER)[0]
    with pytest.raises(ErpNotFound):
        port.get_invoice(OWNER, invoice.id)
    with pytest.raises(ErpNotFound):
        port.get_customer("K-0000")
    unscanned = [c for c in port.list_contracts(OWNER) if not c.has_scan]
    with pytest.raises(ErpNotFound):
        port.get_contract_scan(OWNER, unscanned[0].id)


def _active_meter_with_last_reading(port):
    for meter in port.list_meters(OWNER):
        readings = port.list_readings(OWNER, meter.id)
        if meter.status is MeterStatus.ACTIVE and readings:
            return meter, readings[-1]
    raise AssertionError("the demo data has an active meter with readings")


def test_reading_is_taken_once_and_a_lower_one_is_refused_in_polish(port):
    meter, last = _active_meter_with_last_reading(port)
    submission = ReadingSubmission(meter.id, NOW.date(), last.value + Decimal("3.5"), "soap-reading-1")
    receipt = port.submit_reading(OWNER, submission)
    assert receipt.status == "pending"
    assert port.submit_reading(OWNER, submission) == receipt
    assert port.list_readings(OWNER, meter.id)[-1].value == last.value + Decimal("3.5")
    lower = ReadingSubmission(meter.id, NOW.date(), last.value, "soap-reading-2")
    with pytest.raises(ErpRejected) as caught:
        port.submit_reading(OWNER, lower)
    assert "Odczyt" in caught.value.reason or "Wskazanie" in caught.value.reason


def test_message_with_attachment_becomes_a_case(port):
    draft = MessageDraft(
        kind=MessageKind.COMPLAINT,
        subject="Wyciek przed wodomierzem",
        body="Proszę o sprawdzenie przyłącza.",
        idempotency_key="soap-message-1",
        attachments=(Attachment("zdjęcie.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + bytes(range(256))),),
    )
    receipt = port.send_message(OWNER, draft)
    filed = [m for m in port.list_messages(OWNER) if m.case_number == receipt.reference]
    assert filed and filed[0].attachment_names == ("zdjęcie.jpg",)


def test_einvoice_consent_reaches_contracts_in_force(port):
    port.set_einvoice_consent(OWNER, True, "soap-consent-1")
    in_force = [c for c in port.list_contracts(OWNER) if c.status.value != "terminated"]
    assert in_force and all(c.einvoice_consent for c in in_force)


@pytest.mark.parametrize(
    "mode, value, error",
    [
        ("status_500", 0, ErpUnavailable),
        ("status_503", 0, ErpUnavailable),
        ("malformed", 0, ErpBadResponse),
        ("html_200", 0, ErpBadResponse),
        ("wrong_content_type", 0, ErpBadResponse),
        ("timeout", 0.8, ErpUnavailable),
        ("drip", 20, ErpUnavailable),
    ],
)
def test_injected_faults_become_typed_errors(base_url, mode, value, error):
    fault = {"operation": "list_invoices", "mode": mode, "value": value}
    requests.post(f"{base_url}/_sim/faults", json=fault, timeout=5).raise_for_status()
    impatient = SoapBilling(ErpSettings(url=f"{base_url}/soap", username=DEMO.username,
                                        password=DEMO.password, connect_timeout=1, read_timeout=0.3,
                                        deadline=0.5))
    with pytest.raises(error) as caught:
        impatient.list_invoices(OWNER)
    assert "127.0.0.1" not in str(caught.value)


def _envelope(operation, **params):
    return etree.tostring(contract().create_message(contract().service, operation, **params))


def _requests_for(store, customer_id):
    """One request per operation of the contract, with ids this customer owns."""
    ids = {
        "contractId": store.list_contracts(customer_id)["contracts"][0]["contractId"],
        "meterId": store.list_meters(customer_id)["meters"][0]["meterId"],
        "invoiceId": store.list_invoices(customer_id)["invoices"][0]["invoiceId"],
        "documentId": store.list_documents(customer_id)["documents"][0]["documentId"],
    }
    write = {"idempotencyKey": f"xsd-{customer_id}"}
    return [
        ("GetCustomer", {}), ("ListContracts", {}), ("GetContractScan", {"contractId": ids["contractId"]}),
        ("ListMeters", {"serialContains": "0"}), ("ListReadings", {"meterId": ids["meterId"]}),
        ("SubmitReading", {**write, "meterId": ids["meterId"], "readingDate": "2026-11-27", "value": "99999.000"}),
        ("ListInvoices", {}), ("GetInvoice", {"invoiceId": ids["invoiceId"]}),
        ("GetInvoicePdf", {"invoiceId": ids["invoiceId"]}), ("GetSettlements", {}), ("ListDocuments", {}),
        ("GetDocument", {"documentId": ids["documentId"]}),
        ("SendMessage", {**write, "messageType": "inquiry", "subject": "Pytanie", "body": "Treść."}),
        ("ListMessages", {}), ("SetEInvoiceConsent", {**write, "enabled": False}),
    ]


@pytest.mark.parametrize("customer_id", ["K-1001", "K-1002", "K-1003", "K-1004", "K-1005", "K-1006"])
def test_every_simulator_reply_follows_the_xsd(base_url, store, xsd, customer_id):
    for operation, params in _requests_for(store, customer_id):
        reply = requests.post(
            f"{base_url}/soap", data=_envelope(operation, customerId=customer_id, **params),
            headers={"Content-Type": "text/xml; charset=utf-8", "Authorization": DEMO.header()}, timeout=10,
        )
        payload = etree.fromstring(reply.content).find("s:Body", NS)[0]
        if reply.status_code == 500:
            payload = payload.find("detail/e:ErpFault", NS)
            assert payload is not None, (operation, reply.content[:300])
        else:
            assert payload.tag == f"{{{NAMESPACE}}}{operation}Response"
        assert xsd.validate(etree.ElementTree(payload)), (customer_id, operation, xsd.error_log.last_error)


def test_the_served_wsdl_is_usable_by_any_soap_client(base_url):
    session = requests.Session()
    session.auth = (DEMO.username, DEMO.password)  # reading the WSDL is open, calling an operation is not
    client = zeep.Client(f"{base_url}/soap?wsdl", transport=zeep.Transport(session=session))
    (service,) = client.wsdl.services.values()
    assert [port.binding_options["address"] for port in service.ports.values()] == [f"{base_url}/soap"]
    assert client.service.GetCustomer(customerId=OWNER).customerId == OWNER
