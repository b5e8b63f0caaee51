"""SoapBilling against canned SOAP envelopes (tests/data/soap): each operation, and each way a reply goes wrong."""

from __future__ import annotations

import base64
import socket
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import responses
from lxml import etree
from zeep.exceptions import ExternalReferenceForbidden

from adapters.core.errors import ErpBadResponse, ErpNotFound, ErpRejected, ErpUnavailable
from adapters.core.records import (
    Attachment,
    ContractStatus,
    MessageDraft,
    MessageKind,
    ReadingStatus,
    ReadingSubmission,
    SettlementKind,
    TaxIdKind,
)
from adapters.core.settings import ErpSettings
from adapters.soap import client as soap_client
from adapters.soap.billing import SoapBilling
from adapters.soap.client import ErpTransport
from adapters.soap.envelope import NAMESPACE, SOAP_ENV
from adapters.wire import http

DATA = Path(__file__).parent / "data" / "soap"
HOST = "erp.internal.example"
URL = f"https://{HOST}:8443/ws/billing"
XML = "text/xml; charset=utf-8"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NS = {"e": NAMESPACE, "s": SOAP_ENV}


@pytest.fixture(autouse=True)
def no_retry_pause(monkeypatch):
    """A retried read waits a random jitter; these tests need not."""
    monkeypatch.setattr(http, "RETRY_JITTER_SECONDS", (0.0, 0.0))


@pytest.fixture
def erp():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def billing():
    return SoapBilling(ErpSettings(url=URL))


def canned(erp, name, status=200, content_type=XML):
    erp.add(responses.POST, URL, body=(DATA / name).read_bytes(), status=status, content_type=content_type)


def sent(erp, index=-1):
    """The body element of a request the adapter sent."""
    return etree.fromstring(erp.calls[index].request.body).find("s:Body", NS)[0]


def raised(kind, call):
    """The error `call` raises, checked to be `kind` and never to name the ERP's host."""
    with pytest.raises(kind) as caught:
        call()
    assert HOST not in str(caught.value)
    return caught.value


def _submission():
    return ReadingSubmission(
        meter_id="W-1", date=date(2025, 4, 30), value=Decimal("1240.5"), idempotency_key="key-1", note="ok"
    )


def _draft(**overrides):
    values = dict(
        kind=MessageKind.COMPLAINT,
        subject="Zawyżone zużycie",
        body="Proszę o sprawdzenie.",
        idempotency_key="key-2",
        attachments=(Attachment("zdjecie.jpg", "image/jpeg", b"\xff\xd8\xff\x00binary"),),
        invoice_id="F-1",
    )
    return MessageDraft(**{**values, **overrides})


# --- happy paths: every operation, each reply kind ----------------------------------------------

HAPPY = [
    ("get_customer", lambda b: b.get_customer("K-1001"), "get_customer.xml"),
    ("list_contracts", lambda b: b.list_contracts("K-1001"), "list_contracts.xml"),
    ("get_contract_scan", lambda b: b.get_contract_scan("K-1001", "U-1"), "get_contract_scan.xml"),
    ("list_meters", lambda b: b.list_meters("K-1001"), "list_meters.xml"),
    ("list_readings", lambda b: b.list_readings("K-1001", "W-1"), "list_readings.xml"),
    ("submit_reading", lambda b: b.submit_reading("K-1001", _submission()), "submit_reading.xml"),
    ("list_invoices", lambda b: b.list_invoices("K-1001"), "list_invoices.xml"),
    ("get_invoice", lambda b: b.get_invoice("K-1001", "F-1"), "get_invoice.xml"),
    ("get_invoice_pdf", lambda b: b.get_invoice_pdf("K-1001", "F-1"), "get_invoice_pdf.xml"),
    ("get_settlements", lambda b: b.get_settlements("K-1001"), "get_settlements.xml"),
    ("list_documents", lambda b: b.list_documents("K-1001"), "list_documents.xml"),
    ("get_document", lambda b: b.get_document("K-1001", "D-1"), "get_document.xml"),
    ("send_message", lambda b: b.send_message("K-1001", _draft()), "send_message.xml"),
    ("list_messages", lambda b: b.list_messages("K-1001"), "list_messages.xml"),
    ("set_einvoice_consent", lambda b: b.set_einvoice_consent("K-1001", True, "key-3"), "set_einvoice_consent.xml"),
]


@pytest.mark.parametrize("operation, call, reply", HAPPY, ids=[row[0] for row in HAPPY])
def test_every_operation_names_the_customer_and_reaches_the_configured_address(erp, billing, operation, call, reply):
    canned(erp, reply)
    assert call(billing)
    request = erp.calls[0].request
    assert request.url == URL
    assert request.headers["SOAPAction"].strip('"').endswith("#" + etree.QName(sent(erp)).localname)
    assert sent(erp).findtext("e:customerId", namespaces=NS) == "K-1001"
    assert request.req_kwargs["timeout"] == ErpSettings().timeout


def test_customer_comes_with_premises_and_a_nil_phone(erp, billing):
    canned(erp, "get_customer.xml")
    customer = billing.get_customer("K-1001")
    assert customer.name == "Jan Kowalski" and customer.address.city == "Strzelce Opolskie"
    assert customer.phone is None and customer.email == "jan.kowalski@example.pl"
    assert customer.tax_id_kind is TaxIdKind.PESEL
    assert [premise.id for premise in customer.premises] == ["P-1", "P-2"]


def test_list_of_one_is_still_a_list(erp, billing):
    canned(erp, "list_meters.xml")
    meters = billing.list_meters("K-1001")
    assert [meter.serial for meter in meters] == ["ABC123456"]
    assert meters[0].removed_on is None


def test_empty_list_reply_is_an_empty_list(erp, billing):
    canned(erp, "list_invoices_empty.xml")
    assert billing.list_invoices("K-1001") == []


def test_invoices_keep_exact_amounts_and_optional_ksef_number(erp, billing):
    canned(erp, "list_invoices.xml")
    first, second = billing.list_invoices("K-1001")
    assert (first.gross, first.ksef_number, first.due_on) == (Decimal("108.11"), None, date(2025, 4, 16))
    assert second.ksef_number == "5260250995-20250302-0A1B2C-3D"


def test_invoice_has_its_lines(erp, billing):
    canned(erp, "get_invoice.xml")
    invoice = billing.get_invoice("K-1001", "F-1")
    assert [line.description for line in invoice.lines] == ["Dostawa wody", "Odprowadzanie ścieków"]
    assert invoice.lines[0].quantity == Decimal("12.345")


def test_contracts_keep_status_and_open_end(erp, billing):
    canned(erp, "list_contracts.xml")
    active, terminated = billing.list_contracts("K-1001")
    assert (active.status, terminated.status) == (ContractStatus.ACTIVE, ContractStatus.TERMINATED)
    assert active.valid_to is None and terminated.valid_to == date(2019, 3, 31)
    assert (active.has_scan, terminated.has_scan) == (True, False)


def test_contract_without_has_scan_has_no_scan(erp, billing):
    body = (DATA / "list_contracts.xml").read_text(encoding="utf-8").replace("<ns2:hasScan>true</ns2:hasScan>", "")
    erp.add(responses.POST, URL, body=body.encode("utf-8"), content_type=XML)
    assert [contract.has_scan for contract in billing.list_contracts("K-1001")] == [False, False]


def test_first_reading_has_nil_consumption(erp, billing):
    canned(erp, "list_readings.xml")
    readings = billing.list_readings("K-1001", "W-1")
    assert [reading.consumption for reading in readings] == [None, Decimal("12.345")]
    assert readings[1].status is ReadingStatus.ACCEPTED


def test_settlements_mix_invoices_and_payments(erp, billing):
    canned(erp, "get_settlements.xml")
    settlements = billing.get_settlements("K-1001")
    assert settlements.balance == Decimal("58.11")
    assert [entry.kind for entry in settlements.entries] == [SettlementKind.INVOICE, SettlementKind.PAYMENT]
    assert settlements.entries[1].invoice_id is None and settlements.entries[1].due_on is None


def test_documents_have_size_and_visibility(erp, billing):
    canned(erp, "list_documents.xml")
    documents = billing.list_documents("K-1001")
    assert [(document.size, document.public) for document in documents] == [(2048, True), (2048, False)]


def test_files_arrive_as_bytes(erp, billing):
    canned(erp, "get_invoice_pdf.xml")
    pdf = billing.get_invoice_pdf("K-1001", "F-1")
    assert (pdf.filename, pdf.content_type, pdf.content) == ("FV-2025-03-0001.pdf", "application/pdf", PDF)


def test_messages_carry_attachment_names_replies_and_aware_times(erp, billing):
    canned(erp, "list_messages.xml")
    first, second = billing.list_messages("K-1001")
    assert first.attachment_names == ("zdjecie.jpg", "faktura.pdf")
    assert first.replies[0].author == "BOK" and first.replies[0].sent_at.utcoffset() is not None
    assert second.sent_at == datetime(2025, 4, 20, 8, 0, tzinfo=timezone.utc)
    assert second.attachment_names == () and second.replies == () and second.premise_id is None


def test_serial_filter_is_sent_only_when_given(erp, billing):
    canned(erp, "list_meters.xml")
    billing.list_meters("K-1001")
    billing.list_meters("K-1001", "abc")
    assert sent(erp, 0).find("e:serialContains", NS) is None
    assert sent(erp, 1).findtext("e:serialContains", namespaces=NS) == "abc"


def test_reading_goes_with_its_idempotency_key_and_exact_value(erp, billing):
    canned(erp, "submit_reading.xml")
    receipt = billing.submit_reading("K-1001", _submission())
    body = sent(erp)
    assert body.findtext("e:idempotencyKey", namespaces=NS) == "key-1"
    assert body.findtext("e:value", namespaces=NS) == "1240.500"
    assert body.findtext("e:readingDate", namespaces=NS) == "2025-04-30"
    assert (receipt.reference, receipt.status) == ("R-77", "accepted")


def test_message_attachments_travel_as_base64_and_absent_ids_are_left_out(erp, billing):
    canned(erp, "send_message.xml")
    receipt = billing.send_message("K-1001", _draft())
    body = sent(erp)
    content = body.findtext("e:attachments/e:content", namespaces=NS)
    assert base64.b64decode(content) == b"\xff\xd8\xff\x00binary"
    assert body.find("e:premiseId", NS) is None and body.findtext("e:invoiceId", namespaces=NS) == "F-1"
    assert receipt.reference == "Z/2025/0012"


def test_einvoice_consent_sends_the_flag(erp, billing):
    canned(erp, "set_einvoice_consent.xml")
    billing.set_einvoice_consent("K-1001", False, "key-3")
    assert sent(erp).findtext("e:enabled", namespaces=NS) == "false"


def test_ws_security_token_only_when_configured(erp):
    canned(erp, "list_invoices_empty.xml")
    SoapBilling(ErpSettings(url=URL)).list_invoices("K-1001")
    SoapBilling(ErpSettings(url=URL, wsse_username="ibok", wsse_password="s3cret")).list_invoices("K-1001")
    plain, secured = (erp.calls[i].request.body for i in (0, 1))
    assert b"Security" not in plain
    assert b"<wsse:Username>ibok</wsse:Username>" in secured


# --- faults ---------------------------------------------------------------------------------------


def test_not_found_fault_is_not_found(erp, billing):
    canned(erp, "fault_not_found.xml", status=500)
    raised(ErpNotFound, lambda: billing.get_invoice("K-1001", "F-999"))


def test_rejected_fault_carries_the_erps_reason_and_is_sent_once(erp, billing):
    canned(erp, "fault_rejected.xml", status=500)
    error = raised(ErpRejected, lambda: billing.submit_reading("K-1001", _submission()))
    assert error.reason == "Odczyt niższy niż poprzedni (1234,567 m3)" and error.code == "REJECTED"
    assert len(erp.calls) == 1


def test_invalid_fault_rejects_a_write_but_is_a_bad_exchange_for_a_read(erp, billing):
    canned(erp, "fault_invalid.xml", status=500)
    assert raised(ErpRejected, lambda: billing.submit_reading("K-1001", _submission())).code == "INVALID"
    raised(ErpBadResponse, lambda: billing.get_invoice("K-1001", "F-1"))


def test_server_fault_is_unavailable_and_its_text_stays_out(erp, billing):
    canned(erp, "fault_server.xml", status=500)
    error = raised(ErpUnavailable, lambda: billing.list_invoices("K-1001"))
    assert "erp-db01" not in str(error) and "ORA" not in str(error)


# --- transport ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, body, content_type, kind",
    [
        (500, b"", XML, ErpUnavailable),
        (503, b"<html><body>Service Unavailable</body></html>", "text/html", ErpUnavailable),
        (502, b"Bad gateway", "text/plain", ErpUnavailable),
        (401, b"<html>login</html>", "text/html", ErpUnavailable),
        (403, b"", XML, ErpUnavailable),
        (404, b"<html>Not Found</html>", "text/html", ErpBadResponse),
        (400, b"", XML, ErpBadResponse),
        (200, b"<html><body>Welcome to nginx!</body></html>", "text/html", ErpBadResponse),
        (200, b"<html><body><p>Login</p></body></html>", XML, ErpBadResponse),
        (200, b"", XML, ErpBadResponse),
    ],
)
def test_http_failures_map_to_typed_errors(erp, billing, status, body, content_type, kind):
    erp.add(responses.POST, URL, body=body, status=status, content_type=content_type)
    error = raised(kind, lambda: billing.list_invoices("K-1001"))
    if status in (401, 403):
        assert "refused the credentials" in str(error)


def test_reads_are_retried_once_after_a_5xx_and_writes_never(erp, billing):
    erp.add(responses.POST, URL, body=b"", status=503)
    erp.add(responses.POST, URL, body=(DATA / "list_invoices_empty.xml").read_bytes(), content_type=XML)
    assert billing.list_invoices("K-1001") == []
    erp.reset()
    erp.add(responses.POST, URL, body=b"", status=503)
    raised(ErpUnavailable, lambda: billing.submit_reading("K-1001", _submission()))
    assert len(erp.calls) == 1


def test_timeout_is_unavailable(erp, billing):
    erp.add(responses.POST, URL, body=requests.exceptions.ReadTimeout("read timed out"))
    assert "timed out" in str(raised(ErpUnavailable, lambda: billing.get_customer("K-1001")))


def test_refused_connection_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = ErpSettings(url=f"http://127.0.0.1:{port}/soap", connect_timeout=1, read_timeout=1)
    with pytest.raises(ErpUnavailable) as caught:
        SoapBilling(settings).get_customer("K-1001")
    assert "127.0.0.1" not in str(caught.value)


def test_reply_over_the_size_cap_is_refused(erp):
    canned(erp, "list_messages.xml")
    raised(ErpBadResponse, lambda: SoapBilling(ErpSettings(url=URL, max_response_bytes=512)).list_messages("K-1"))


# --- hostile and malformed replies ----------------------------------------------------------------


def test_truncated_xml_is_a_bad_response(erp, billing):
    erp.add(responses.POST, URL, body=(DATA / "get_invoice.xml").read_bytes()[:700], content_type=XML)
    raised(ErpBadResponse, lambda: billing.get_invoice("K-1001", "F-1"))


def test_billion_laughs_is_refused_without_expansion(erp, billing):
    canned(erp, "billion_laughs.xml")
    error = raised(ErpBadResponse, lambda: billing.get_customer("K-1001"))
    assert "lol" not in str(error)


def test_external_entity_is_refused_and_nothing_leaks(erp, billing):
    canned(erp, "external_entity.xml")
    error = raised(ErpBadResponse, lambda: billing.get_customer("K-1001"))
    assert "root:" not in str(error) and "passwd" not in str(error)


def _invoice_list_reply(replace_from, replace_to):
    body = (DATA / "list_invoices.xml").read_text(encoding="utf-8").replace(replace_from, replace_to, 1)
    return body.encode("utf-8")


@pytest.mark.parametrize(
    "old, new, field",
    [
        ("<ns2:grossAmount>108.11</ns2:grossAmount>", "", "invoices.0.grossAmount"),
        ("<ns2:status>unpaid</ns2:status>", "<ns2:status>overdue</ns2:status>", "invoices.0.status"),
        ("<ns2:invoiceNumber>FV/2025/03/0001</ns2:invoiceNumber>", "<ns2:invoiceNumber/>", "invoices.0.invoiceNumber"),
    ],
)
def test_payload_off_the_contract_names_the_field(erp, billing, old, new, field):
    erp.add(responses.POST, URL, body=_invoice_list_reply(old, new), content_type=XML)
    error = raised(ErpBadResponse, lambda: billing.list_invoices("K-1001"))
    assert error.field == field
    assert error.operation == "list_invoices"


def test_value_of_the_wrong_type_is_a_bad_response(erp, billing):
    body = _invoice_list_reply("<ns2:netAmount>100.10</ns2:netAmount>", "<ns2:netAmount>sto</ns2:netAmount>")
    erp.add(responses.POST, URL, body=body, content_type=XML)
    raised(ErpBadResponse, lambda: billing.list_invoices("K-1001"))


def test_another_operations_reply_is_not_taken_for_an_empty_list(erp, billing):
    canned(erp, "get_customer.xml")
    raised(ErpBadResponse, lambda: billing.list_invoices("K-1001"))


# --- the client itself ----------------------------------------------------------------------------


def test_wsdl_is_parsed_once_per_process(erp, monkeypatch):
    loaded = []
    original = ErpTransport.load

    def counting_load(self, url):
        loaded.append(Path(url).name)
        return original(self, url)

    monkeypatch.setattr(ErpTransport, "load", counting_load)
    monkeypatch.setattr(soap_client, "_CLIENTS", {})
    canned(erp, "list_invoices_empty.xml")
    settings = ErpSettings(url=URL)
    for _ in range(3):
        SoapBilling(settings).list_invoices("K-1001")
    assert loaded == ["ibok-erp.wsdl", "ibok-erp.xsd"]
    assert soap_client.client_for(settings) is soap_client.client_for(ErpSettings(url=URL))


def test_operation_timeout_is_always_set():
    settings = ErpSettings(url=URL)
    transport = soap_client.client_for(settings).transport
    assert isinstance(transport, ErpTransport)
    assert transport.operation_timeout == settings.read_timeout
    assert settings.timeout[0] and settings.timeout[1]


@pytest.mark.parametrize("url", ["/etc/passwd", "file:///etc/passwd", "http://evil.example/x.xsd", "ibok-erp.xsd"])
def test_transport_loads_nothing_but_the_contract(url):
    with pytest.raises(ExternalReferenceForbidden):
        ErpTransport(ErpSettings()).load(url)


def test_canned_replies_follow_the_xsd():
    schema = etree.XMLSchema(etree.parse(str(soap_client.CONTRACT_DIR / "ibok-erp.xsd")))
    for path in sorted(DATA.glob("*.xml")):
        if path.name in ("billion_laughs.xml", "external_entity.xml"):
            continue
        root = etree.parse(str(path)).getroot()
        payload = root.find("s:Body", NS)[0]
        if payload.tag == f"{{{SOAP_ENV}}}Fault":
            payload = payload.find("detail/e:ErpFault", NS)
            if payload is None:
                continue
        assert schema.validate(etree.ElementTree(payload)), (path.name, schema.error_log.last_error)
