"""DemoStore as the ERP: scoped by customer, strict about readings, idempotent writes, reset to the dataset."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from adapters.core.errors import ErpNotFound, ErpRejected
from fixtures.simulator.store import DemoStore

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
KOWALSKI, NOWAK = "K-1001", "K-1002"
NOWAK_METER, REMOVED_METER, NEW_METER = "W-1002-1", "W-1001-1", "W-1001-2"


@pytest.fixture(scope="module")
def shared_store():
    return DemoStore.load(clock=lambda: NOW)


@pytest.fixture
def store(shared_store):
    shared_store.reset()
    return shared_store


def reading(meter_id: str = NOWAK_METER, day: str = "2026-11-26", value: str = "300.000", key: str = "k-1"):
    return {"meterId": meter_id, "readingDate": day, "value": value, "note": "", "idempotencyKey": key}


def message(key: str = "m-1", **extra):
    return {"messageType": "inquiry", "subject": "Pytanie", "body": "Treść pytania.", "premiseId": None,
            "invoiceId": None, "idempotencyKey": key, "attachments": [], **extra}


def first_invoice_id(store, customer_id):
    return store.list_invoices(customer_id)["invoices"][0]["invoiceId"]


READS = [
    ("get_customer", ()), ("list_contracts", ()), ("list_meters", ()), ("list_invoices", ()),
    ("get_settlements", ()), ("list_documents", ()), ("list_messages", ()),
    ("get_document", ("DOC-P-001",)),
]


@pytest.mark.parametrize(("operation", "args"), READS, ids=[r[0] for r in READS])
def test_unknown_customer_is_not_found(store, operation, args):
    with pytest.raises(ErpNotFound) as caught:
        getattr(store, operation)("K-9999", *args)
    assert caught.value.operation == operation


@pytest.mark.parametrize(("operation", "object_id"), [
    ("get_contract_scan", "U-1002-1"),
    ("list_readings", NOWAK_METER),
    ("get_document", "DOC-1002-1"),
])
def test_another_customers_object_is_not_found(store, operation, object_id):
    getattr(store, operation)(NOWAK, object_id)
    with pytest.raises(ErpNotFound):
        getattr(store, operation)(KOWALSKI, object_id)


@pytest.mark.parametrize("operation", ["get_invoice", "get_invoice_pdf"])
def test_another_customers_invoice_is_not_found(store, operation):
    with pytest.raises(ErpNotFound):
        getattr(store, operation)(KOWALSKI, first_invoice_id(store, NOWAK))


def test_public_documents_are_open_to_every_customer(store):
    for customer_id in store.customer_ids():
        assert store.get_document(customer_id, "DOC-P-003")["content"].startswith(b"%PDF")
    titles = [d["title"] for d in store.list_documents(KOWALSKI)["documents"]]
    assert "Regulamin IBOK" in titles and "Protokół wymiany wodomierza" in titles
    assert "Potwierdzenie zgody na e-fakturę" not in titles


def test_contract_without_a_scan_is_not_found(store):
    assert store.get_contract_scan(KOWALSKI, "U-1001-1")["contentType"] == "application/pdf"
    with pytest.raises(ErpNotFound):
        store.get_contract_scan(KOWALSKI, "U-1001-2")


@pytest.mark.parametrize(("needle", "expected"), [
    (None, 3), ("", 3), ("sw19", 1), ("GRD", 1), ("-", 3), ("nothing", 0),
])
def test_meters_filter_on_serial_substring_in_any_case(store, needle, expected):
    assert len(store.list_meters(KOWALSKI, serial_contains=needle)["meters"]) == expected


def test_lists_come_in_the_promised_order_and_shape(store):
    readings = store.list_readings(NOWAK, NOWAK_METER)["readings"]
    assert [r["readingDate"] for r in readings] == sorted(r["readingDate"] for r in readings)
    invoices = store.list_invoices(KOWALSKI)["invoices"]
    assert [i["issueDate"] for i in invoices] == sorted((i["issueDate"] for i in invoices), reverse=True)
    assert "lines" not in invoices[0]
    assert store.get_invoice(KOWALSKI, invoices[0]["invoiceId"])["lines"]


def test_replies_are_copies_the_caller_may_change(store):
    store.get_customer(KOWALSKI)["premises"].clear()
    assert len(store.get_customer(KOWALSKI)["premises"]) == 2


def test_a_submitted_reading_is_pending_and_listed(store):
    receipt = store.submit_reading(NOWAK, reading())
    assert receipt["status"] == "pending" and receipt["reference"].startswith("OD/2026/")
    last = store.list_readings(NOWAK, NOWAK_METER)["readings"][-1]
    assert last == {"meterId": NOWAK_METER, "readingDate": "2026-11-26", "value": "300.000",
                    "consumption": "11.702", "readingType": "customer", "status": "pending"}


@pytest.mark.parametrize(("customer_id", "payload", "reason"), [
    (KOWALSKI, reading(REMOVED_METER, value="9999.000"), "zdemontowany"),
    (NOWAK, reading(value="100.000"), "niższe niż ostatni odczyt (288,298 m³)"),
    (NOWAK, reading(day="2026-11-28"), "nie może być późniejsza"),
    (NOWAK, reading(day="2026-11-24"), "Odczyt z dnia 24.11.2026 jest już zarejestrowany"),
    (NOWAK, reading(day="2026-11-01"), "wcześniejsza niż data ostatniego odczytu (24.11.2026)"),
    (NOWAK, reading(value="12.3456"), "Nieprawidłowe wskazanie"),
    (NOWAK, reading(day="jutro"), "Nieprawidłowa data"),
])
def test_readings_the_utility_would_refuse_are_rejected_in_polish(store, customer_id, payload, reason):
    with pytest.raises(ErpRejected) as caught:
        store.submit_reading(customer_id, payload)
    assert reason in caught.value.reason
    assert caught.value.operation == "submit_reading"


def test_reading_for_another_customers_meter_is_not_found(store):
    with pytest.raises(ErpNotFound):
        store.submit_reading(KOWALSKI, reading())


def test_the_same_key_returns_the_same_receipt_and_adds_one_reading(store):
    before = len(store.list_readings(KOWALSKI, NEW_METER)["readings"])
    payload = reading(NEW_METER, value="9999.000", key="same")
    assert store.submit_reading(KOWALSKI, payload) == store.submit_reading(KOWALSKI, payload)
    assert len(store.list_readings(KOWALSKI, NEW_METER)["readings"]) == before + 1


def test_concurrent_deliveries_of_one_submission_record_it_once(store):
    receipts = []
    threads = [threading.Thread(target=lambda: receipts.append(store.submit_reading(NOWAK, reading())))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r["reference"] for r in receipts}) == 1
    assert sum(r["readingDate"] == "2026-11-26" for r in store.list_readings(NOWAK, NOWAK_METER)["readings"]) == 1


def test_a_message_gets_the_next_case_number_and_is_listed_first(store):
    receipt = store.send_message(NOWAK, message(attachments=[{"fileName": "zdjęcie.jpg", "contentType":
                                                              "image/jpeg", "content": b"\xff\xd8"}]))
    assert receipt == {"reference": "ZG/2026/00042", "status": "received"}
    newest = store.list_messages(NOWAK)["messages"][0]
    assert newest["caseNumber"] == "ZG/2026/00042" and newest["attachmentNames"] == ["zdjęcie.jpg"]
    assert newest["sentAt"] == "2026-11-27T12:00:00+01:00" and newest["replies"] == []
    assert store.send_message(NOWAK, message()) == receipt
    assert store.send_message(KOWALSKI, message())["reference"] == "ZG/2026/00043"


def test_a_message_about_another_customers_invoice_is_not_found(store):
    with pytest.raises(ErpNotFound):
        store.send_message(KOWALSKI, message(invoiceId=first_invoice_id(store, NOWAK)))


@pytest.mark.parametrize("change", [{"messageType": "praise"}, {"subject": ""}, {"body": "x" * 5001}])
def test_a_malformed_message_is_rejected(store, change):
    with pytest.raises(ErpRejected):
        store.send_message(NOWAK, message(**change))


def test_einvoice_consent_switches_contracts_still_in_force(store):
    receipt = store.set_einvoice_consent(KOWALSKI, True, "consent-1")
    assert receipt["status"] == "accepted"
    consent = {c["contractId"]: c["eInvoiceConsent"] for c in store.list_contracts(KOWALSKI)["contracts"]}
    assert consent == {"U-1001-0": False, "U-1001-1": True, "U-1001-2": True}
    assert store.set_einvoice_consent(KOWALSKI, True, "consent-1") == receipt


def test_reset_forgets_every_write(store):
    store.submit_reading(NOWAK, reading())
    store.send_message(NOWAK, message())
    store.set_einvoice_consent(NOWAK, False, "off")
    store.reset()
    assert store.list_readings(NOWAK, NOWAK_METER)["readings"][-1]["readingDate"] == "2026-11-24"
    assert len(store.list_messages(NOWAK)["messages"]) == 2
    assert store.list_contracts(NOWAK)["contracts"][0]["eInvoiceConsent"] is True
    assert store.submit_reading(NOWAK, reading())["reference"] == "OD/2026/000001"
