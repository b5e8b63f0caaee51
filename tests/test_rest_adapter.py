"""RestBilling against canned HTTP replies: each operation's happy path, and each way a reply can be wrong."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import requests
import responses
from responses import matchers

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpRejected, ErpUnavailable
from adapters.core.records import (
    Attachment,
    ContractStatus,
    MessageDraft,
    MessageKind,
    ReadingSubmission,
    SettlementKind,
    WriteReceipt,
)
from adapters.core.settings import ErpSettings
from adapters.rest.billing import RestBilling
from adapters.rest.replies import media_type, safe_filename
from adapters.wire.http import HttpReply
from tests import rest_bodies as bodies

HOST = "erp.internal.example"
BASE = f"https://{HOST}:8443/api/v1"
CUSTOMER = f"{BASE}/customers/K-1001"
JSON = "application/json"
PDF = "application/pdf"
DOCX_DISPOSITION = "attachment; filename=\"wniosek.docx\"; filename*=UTF-8''wniosek%20%C5%BC.docx"


@pytest.fixture
def erp():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def billing():
    return RestBilling(ErpSettings(url=BASE + "/"))


def _json_body(payload):
    return json.dumps(payload).encode()


def _submission(**overrides):
    values = dict(meter_id="W-1", date=date(2025, 4, 30), value=Decimal("1240.5"), idempotency_key="key-1")
    return ReadingSubmission(**{**values, **overrides})


# --- happy paths, one per operation -----------------------------------------------------------


def test_customer_is_read_into_a_record_with_premises(erp, billing):
    erp.get(CUSTOMER, body=_json_body(bodies.CUSTOMER), content_type=JSON)
    customer = billing.get_customer("K-1001")
    assert customer.name == "Jan Kowalski"
    assert customer.phone is None
    assert customer.premises[0].address.postal_code == "47-100"
    assert erp.calls[0].request.headers["Accept"] == JSON


def test_contracts_are_listed_with_dates(erp, billing):
    erp.get(f"{CUSTOMER}/contracts", body=_json_body({"contracts": [bodies.CONTRACT]}), content_type=JSON)
    [contract] = billing.list_contracts("K-1001")
    assert contract.signed_on == date(2019, 3, 1)
    assert contract.valid_to is None
    assert contract.status is ContractStatus.ACTIVE


def test_contract_scan_is_a_pdf_with_the_offered_name(erp, billing):
    erp.get(
        f"{CUSTOMER}/contracts/U-1/scan",
        body=bodies.PDF,
        content_type=PDF,
        headers={"Content-Disposition": 'attachment; filename="umowa U-1.pdf"'},
    )
    scan = billing.get_contract_scan("K-1001", "U-1")
    assert (scan.filename, scan.content_type, scan.content) == ("umowa U-1.pdf", PDF, bodies.PDF)


def test_meters_are_filtered_by_serial_in_the_query(erp, billing):
    erp.get(
        f"{CUSTOMER}/meters",
        match=[matchers.query_param_matcher({"serial": "abc"})],
        body=_json_body({"meters": [bodies.METER]}),
        content_type=JSON,
    )
    [meter] = billing.list_meters("K-1001", serial_contains="abc")
    assert meter.serial == "ABC123456"
    assert meter.removed_on is None


def test_serial_filter_is_encoded_in_the_query(erp, billing):
    erp.get(f"{CUSTOMER}/meters?serial=ab+c%26d%2F", json={"meters": []})
    billing.list_meters("K-1001", serial_contains="ab c&d/")
    assert erp.calls[0].request.url.endswith("/meters?serial=ab+c%26d%2F")


def test_meters_without_a_filter_send_no_query(erp, billing):
    erp.get(f"{CUSTOMER}/meters", match=[matchers.query_string_matcher("")], json={"meters": []})
    assert billing.list_meters("K-1001") == []


def test_readings_keep_their_exact_decimal_value(erp, billing):
    erp.get(f"{CUSTOMER}/meters/W-1/readings", json={"readings": [bodies.READING]})
    [reading] = billing.list_readings("K-1001", "W-1")
    assert reading.value == Decimal("1234.567")
    assert reading.consumption == Decimal("12.345")


def test_money_sent_as_a_json_number_never_becomes_a_float(erp, billing):
    raw = _json_body({"balance": "0", "entries": []}).replace(b'"0"', b"0.1000000000000000055511151231257827")
    erp.get(f"{CUSTOMER}/settlements", body=raw, content_type=JSON)
    assert billing.get_settlements("K-1001").balance == Decimal("0.1000000000000000055511151231257827")


def test_reading_is_posted_with_its_idempotency_key_and_never_a_float(erp, billing):
    erp.post(
        f"{CUSTOMER}/meters/W-1/readings",
        status=201,
        match=[
            matchers.header_matcher({"Idempotency-Key": "key-1"}),
            matchers.json_params_matcher(
                {
                    "meterId": "W-1",
                    "readingDate": "2025-04-30",
                    "value": "1240.500",
                    "note": "",
                    "idempotencyKey": "key-1",
                }
            ),
        ],
        json=bodies.RECEIPT,
    )
    assert billing.submit_reading("K-1001", _submission()) == WriteReceipt("R-77", "accepted")


def test_invoices_are_listed_without_lines(erp, billing):
    erp.get(f"{CUSTOMER}/invoices", json={"invoices": [bodies.INVOICE_SUMMARY]})
    [invoice] = billing.list_invoices("K-1001")
    assert invoice.gross == Decimal("108.11")
    assert invoice.ksef_number is None


def test_invoice_comes_with_its_lines(erp, billing):
    erp.get(f"{CUSTOMER}/invoices/F-1", body=_json_body(bodies.INVOICE), content_type=JSON)
    invoice = billing.get_invoice("K-1001", "F-1")
    assert invoice.lines[0].unit_price == Decimal("8.11")
    assert invoice.due_on == date(2025, 4, 16)


def test_invoice_pdf_without_a_name_gets_a_fallback(erp, billing):
    erp.get(f"{CUSTOMER}/invoices/F-1/pdf", body=bodies.PDF, content_type="application/pdf; charset=binary")
    pdf = billing.get_invoice_pdf("K-1001", "F-1")
    assert (pdf.filename, pdf.content_type) == ("faktura-F-1.pdf", PDF)


def test_settlements_carry_the_balance_and_entries(erp, billing):
    erp.get(f"{CUSTOMER}/settlements", body=_json_body(bodies.SETTLEMENTS), content_type=JSON)
    settlements = billing.get_settlements("K-1001")
    assert settlements.balance == Decimal("108.11")
    assert settlements.entries[0].kind is SettlementKind.INVOICE


def test_documents_are_listed(erp, billing):
    erp.get(f"{CUSTOMER}/documents", body=_json_body({"documents": [bodies.DOCUMENT]}), content_type=JSON)
    [document] = billing.list_documents("K-1001")
    assert (document.size, document.public) == (2048, True)


def test_document_keeps_its_own_content_type_and_polish_name(erp, billing):
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    erp.get(
        f"{CUSTOMER}/documents/D-2/content",
        body=b"PK\x03\x04docx",
        content_type=docx,
        headers={"Content-Disposition": DOCX_DISPOSITION},
    )
    document = billing.get_document("K-1001", "D-2")
    assert (document.filename, document.content_type) == ("wniosek ż.docx", docx)


def test_message_attachments_travel_as_base64(erp, billing):
    draft = MessageDraft(
        kind=MessageKind.COMPLAINT,
        subject="Zawyżone zużycie",
        body="Proszę o sprawdzenie.",
        idempotency_key="key-2",
        attachments=(Attachment("zdjecie.jpg", "image/jpeg", b"\xff\xd8\xff\x00"),),
    )
    erp.post(f"{CUSTOMER}/messages", status=201, json={"reference": "Z/2025/0008", "status": "received"})
    assert billing.send_message("K-1001", draft).reference == "Z/2025/0008"
    sent = json.loads(erp.calls[0].request.body)
    assert sent["attachments"][0]["content"] == base64.b64encode(b"\xff\xd8\xff\x00").decode()
    assert erp.calls[0].request.headers["Idempotency-Key"] == "key-2"


def test_messages_are_listed_with_aware_timestamps(erp, billing):
    erp.get(f"{CUSTOMER}/messages", body=_json_body({"messages": [bodies.MESSAGE]}), content_type=JSON)
    [message] = billing.list_messages("K-1001")
    assert message.sent_at == datetime.fromisoformat("2025-04-03T08:15:00+00:00")
    assert message.sent_at.utcoffset() == timedelta(hours=2)
    assert message.replies[0].body == "Odczyt poprawiony."


def test_einvoice_consent_is_put(erp, billing):
    erp.put(
        f"{CUSTOMER}/einvoice-consent",
        match=[
            matchers.json_params_matcher({"enabled": False, "idempotencyKey": "key-3"}),
            matchers.header_matcher({"Idempotency-Key": "key-3"}),
        ],
        json={"reference": "C-1", "status": "accepted"},
    )
    assert billing.set_einvoice_consent("K-1001", False, "key-3").reference == "C-1"


# --- paths ------------------------------------------------------------------------------------


def test_every_path_segment_is_quoted_whole(erp, billing):
    erp.get(f"{BASE}/customers/K%201%2F2/invoices/F%2F1%3Fx%23y", json=bodies.INVOICE)
    billing.get_invoice("K 1/2", "F/1?x#y")
    assert erp.calls[0].request.url == f"{BASE}/customers/K%201%2F2/invoices/F%2F1%3Fx%23y"


@pytest.mark.parametrize("invoice_id", ["", ".", ".."])
def test_ids_that_would_change_the_path_are_not_found_without_asking(erp, billing, invoice_id):
    with pytest.raises(ErpNotFound):
        billing.get_invoice("K-1001", invoice_id)
    assert len(erp.calls) == 0


# --- status mapping ---------------------------------------------------------------------------


def _error(code, message):
    return {"error": {"code": code, "message": message}}


def test_404_is_not_found(erp, billing):
    erp.get(f"{CUSTOMER}/invoices/F-9", status=404, json=_error("NOT_FOUND", "brak"))
    with pytest.raises(ErpNotFound) as caught:
        billing.get_invoice("K-1001", "F-9")
    assert caught.value.operation == "get_invoice"


def test_missing_contract_scan_is_not_found(erp, billing):
    erp.get(f"{CUSTOMER}/contracts/U-2/scan", status=404, json=_error("NOT_FOUND", "Brak skanu"))
    with pytest.raises(ErpNotFound):
        billing.get_contract_scan("K-1001", "U-2")


@pytest.mark.parametrize("status", [409, 422])
def test_refused_write_carries_the_erps_reason(erp, billing, status):
    reason = "Wskazanie jest niższe niż poprzedni odczyt."
    erp.post(f"{CUSTOMER}/meters/W-1/readings", status=status, json=_error("REJECTED", reason))
    with pytest.raises(ErpRejected) as caught:
        billing.submit_reading("K-1001", _submission())
    assert (caught.value.reason, caught.value.code) == (reason, "REJECTED")


def test_refusal_without_a_readable_reason_still_refuses(erp, billing):
    erp.post(f"{CUSTOMER}/meters/W-1/readings", status=422, body="<p>Błąd</p>", content_type="text/html")
    with pytest.raises(ErpRejected) as caught:
        billing.submit_reading("K-1001", _submission())
    assert caught.value.reason


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_unavailable_after_one_retry(erp, billing, status):
    erp.get(f"{CUSTOMER}/invoices", status=status, json=_error("UNAVAILABLE", "przerwa"))
    with pytest.raises(ErpUnavailable):
        billing.list_invoices("K-1001")
    assert len(erp.calls) == 2


def test_a_read_that_fails_once_is_retried_and_succeeds(erp, billing):
    erp.get(f"{CUSTOMER}/invoices", status=503, json=_error("UNAVAILABLE", "przerwa"))
    erp.get(f"{CUSTOMER}/invoices", json={"invoices": [bodies.INVOICE_SUMMARY]})
    assert len(billing.list_invoices("K-1001")) == 1
    assert len(erp.calls) == 2


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_are_unavailable(erp, billing, status):
    erp.get(CUSTOMER, status=status, json=_error("INVALID", "auth"))
    with pytest.raises(ErpUnavailable, match="ERP refused the credentials"):
        billing.get_customer("K-1001")
    assert len(erp.calls) == 1


@pytest.mark.parametrize("status", [400, 405, 410])
def test_other_client_errors_are_bad_responses(erp, billing, status):
    erp.get(CUSTOMER, status=status, json=_error("INVALID", "?"))
    with pytest.raises(ErpBadResponse):
        billing.get_customer("K-1001")


def test_redirects_are_not_followed(erp, billing):
    erp.get(CUSTOMER, status=302, headers={"Location": "https://login.example/sso"})
    with pytest.raises(ErpBadResponse, match="302"):
        billing.get_customer("K-1001")
    assert len(erp.calls) == 1


# --- transport --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure", [requests.ConnectTimeout(), requests.ReadTimeout(), requests.ConnectionError()]
)
def test_transport_failures_on_reads_are_unavailable_after_one_retry(erp, billing, failure):
    erp.get(CUSTOMER, body=failure)
    with pytest.raises(ErpUnavailable):
        billing.get_customer("K-1001")
    assert len(erp.calls) == 2


@pytest.mark.parametrize("failure", [requests.ReadTimeout(), 503])
def test_writes_are_never_retried(erp, billing, failure):
    if isinstance(failure, int):
        erp.put(f"{CUSTOMER}/einvoice-consent", status=failure, json=_error("UNAVAILABLE", "przerwa"))
    else:
        erp.put(f"{CUSTOMER}/einvoice-consent", body=failure)
    with pytest.raises(ErpUnavailable):
        billing.set_einvoice_consent("K-1001", True, "key-4")
    assert len(erp.calls) == 1


def test_oversized_reply_is_refused(erp):
    billing = RestBilling(ErpSettings(url=BASE, max_response_bytes=1000))
    erp.get(f"{CUSTOMER}/invoices/F-1/pdf", body=bodies.PDF + b"0" * 2000, content_type=PDF)
    with pytest.raises(ErpBadResponse, match="larger than 1000 bytes"):
        billing.get_invoice_pdf("K-1001", "F-1")


# --- what the body says -----------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"{not json", b'{"balance": NaN}', b"\xff\xfe\x00", b"[" * 100_000])
def test_invalid_json_is_a_bad_response(erp, billing, raw):
    erp.get(f"{CUSTOMER}/settlements", body=raw, content_type=JSON)
    with pytest.raises(ErpBadResponse, match="not valid JSON"):
        billing.get_settlements("K-1001")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"invoices": [{**bodies.INVOICE_SUMMARY, "grossAmount": None}]}, "invoices.0.grossAmount"),
        ({"invoices": [bodies.INVOICE_SUMMARY, {**bodies.INVOICE_SUMMARY, "issueDate": "2025-13-01"}]},
         "invoices.1.issueDate"),
        ({"invoices": {"F-1": bodies.INVOICE_SUMMARY}}, "invoices"),
        ({"items": [bodies.INVOICE_SUMMARY]}, "invoices"),
    ],
)
def test_payload_outside_the_contract_names_the_field(erp, billing, payload, field):
    erp.get(f"{CUSTOMER}/invoices", json=payload)
    with pytest.raises(ErpBadResponse) as caught:
        billing.list_invoices("K-1001")
    assert caught.value.field == field


def test_customer_with_an_unknown_tax_id_kind_is_refused(erp, billing):
    erp.get(CUSTOMER, json={**bodies.CUSTOMER, "taxIdType": "REGON"})
    with pytest.raises(ErpBadResponse) as caught:
        billing.get_customer("K-1001")
    assert caught.value.field == "taxIdType"


def test_a_json_array_where_an_object_belongs_is_refused(erp, billing):
    erp.get(CUSTOMER, json=[bodies.CUSTOMER])
    with pytest.raises(ErpBadResponse, match="expected an object"):
        billing.get_customer("K-1001")


def test_html_page_with_status_200_is_not_json(erp, billing):
    erp.get(CUSTOMER, body="<html><body>Zaloguj się</body></html>", content_type="text/html")
    with pytest.raises(ErpBadResponse, match="expected application/json, got text/html"):
        billing.get_customer("K-1001")


@pytest.mark.parametrize("content_type", ["text/html", "application/octet-stream", "application/json"])
def test_invoice_pdf_of_another_type_is_refused(erp, billing, content_type):
    erp.get(f"{CUSTOMER}/invoices/F-1/pdf", body=bodies.PDF, content_type=content_type)
    with pytest.raises(ErpBadResponse, match="expected application/pdf"):
        billing.get_invoice_pdf("K-1001", "F-1")


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "image/svg+xml", "application/json", "bogus"]
)
def test_document_that_a_browser_would_render_is_refused(erp, billing, content_type):
    erp.get(f"{CUSTOMER}/documents/D-1/content", body=b"<svg onload=alert(1)>", content_type=content_type)
    with pytest.raises(ErpBadResponse):
        billing.get_document("K-1001", "D-1")


def test_json_reply_with_the_wrong_content_type_is_refused(erp, billing):
    erp.get(CUSTOMER, body=_json_body(bodies.CUSTOMER), content_type="text/plain")
    with pytest.raises(ErpBadResponse, match="got text/plain"):
        billing.get_customer("K-1001")


def test_header_names_are_read_in_any_case():
    reply = HttpReply(200, {"content-type": "Application/JSON; charset=utf-8"}, b"{}")
    assert media_type(reply) == "application/json"


@pytest.mark.parametrize(
    "disposition, expected",
    [
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\Users\\\\jan\\\\faktura.pdf"', "faktura.pdf"),
        ("attachment; filename*=UTF-8''faktura%20%C5%BCabka.pdf", "faktura żabka.pdf"),
        ('attachment; filename="a<b>|c.pdf"', "a_b__c.pdf"),
        ('attachment; filename=".."', "fallback.pdf"),
        ("inline", "fallback.pdf"),
        (None, "fallback.pdf"),
    ],
)
def test_offered_file_names_are_cut_to_a_bare_name(disposition, expected):
    assert safe_filename(disposition, "fallback.pdf") == expected


def test_fallback_names_built_from_ids_hold_no_path():
    assert safe_filename(None, "faktura-../x.pdf") == "faktura-.._x.pdf"


# --- what errors say --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        dict(status=404),
        dict(status=500),
        dict(status=401),
        dict(status=400),
        dict(status=302, headers={"Location": f"https://{HOST}/login"}),
        dict(body=requests.ConnectionError(f"HTTPSConnectionPool(host='{HOST}', port=8443)")),
        dict(body=requests.ReadTimeout(f"HTTPSConnectionPool(host='{HOST}', port=8443): Read timed out")),
        dict(body=f"<html>{BASE}</html>", content_type="text/html"),
        dict(body=f"{{{BASE}", content_type=JSON),
    ],
)
def test_error_messages_name_neither_host_nor_url(erp, billing, reply):
    erp.get(CUSTOMER, **reply)
    with pytest.raises(ErpError) as caught:
        billing.get_customer("K-1001")
    assert HOST not in str(caught.value)
    assert "http" not in str(caught.value).lower()
