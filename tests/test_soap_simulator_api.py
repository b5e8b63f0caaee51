"""The simulator's SOAP endpoint with a stub store: every reply follows the XSD, every failure is a contract fault."""

from __future__ import annotations

import pytest
from flask import Flask, g
from lxml import etree

from adapters.core.errors import ErpNotFound, ErpRejected, ErpUnavailable
from adapters.core.operations import BY_SOAP_NAME
from adapters.soap.client import CONTRACT_DIR
from adapters.soap.envelope import NAMESPACE, SOAP_ENV
from fixtures.simulator.soap_api import blueprint
from fixtures.simulator.soap_codec import contract
from tests import rest_bodies as bodies

NS = {"s": SOAP_ENV, "e": NAMESPACE}
FILE = {"fileName": "umowa.pdf", "contentType": "application/pdf", "content": bodies.PDF}
RECEIPT = {"reference": "R-1", "status": "accepted"}


class StubStore:
    """Answers from tests/rest_bodies.py; remembers the writes it took."""

    def __init__(self):
        self.writes = []

    def get_customer(self, customer_id):
        if customer_id != "K-1001":
            raise ErpNotFound("get_customer", "Nie ma takiego klienta.")
        return bodies.CUSTOMER

    def list_contracts(self, customer_id):
        return {"contracts": [bodies.CONTRACT, {**bodies.CONTRACT, "contractId": "U-2", "hasScan": False}]}

    def get_contract_scan(self, customer_id, contract_id):
        return FILE

    def list_meters(self, customer_id, serial_contains=None):
        return {"meters": [bodies.METER] if serial_contains in (None, "abc") else []}

    def list_readings(self, customer_id, meter_id):
        return {"readings": [bodies.READING, {**bodies.READING, "consumption": None}]}

    def submit_reading(self, customer_id, payload):
        if payload["value"] == "0.000":
            raise ErpRejected("submit_reading", "Wskazanie jest niższe niż poprzedni odczyt.")
        self.writes.append(payload)
        return RECEIPT

    def list_invoices(self, customer_id):
        return {"invoices": [bodies.INVOICE_SUMMARY]}

    def get_invoice(self, customer_id, invoice_id):
        return bodies.INVOICE

    def get_invoice_pdf(self, customer_id, invoice_id):
        return FILE

    def get_settlements(self, customer_id):
        return bodies.SETTLEMENTS

    def list_documents(self, customer_id):
        raise ErpUnavailable("list_documents", "archiwum niedostępne")

    def get_document(self, customer_id, document_id):
        return FILE

    def send_message(self, customer_id, payload):
        self.writes.append(payload)
        return RECEIPT

    def list_messages(self, customer_id):
        return {"messages": [bodies.MESSAGE]}

    def set_einvoice_consent(self, customer_id, enabled, idempotency_key):
        self.writes.append((enabled, idempotency_key))
        return RECEIPT


@pytest.fixture
def app():
    app = Flask("soap-simulator-test")
    app.register_blueprint(blueprint, url_prefix="/soap")
    app.extensions["erp_store"] = StubStore()
    seen = app.extensions["seen_operations"] = []

    @app.after_request
    def remember(response):
        seen.append(g.get("erp_operation"))
        return response

    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def xsd():
    return etree.XMLSchema(etree.parse(str(CONTRACT_DIR / "ibok-erp.xsd")))


def envelope(operation, **params):
    """The request exactly as zeep (hence SoapBilling) writes it."""
    message = contract().create_message(contract().service, operation, **params)
    return etree.tostring(message)


def post(client, body):
    return client.post("/soap", data=body, content_type="text/xml; charset=utf-8")


def payload_of(response):
    return etree.fromstring(response.data).find("s:Body", NS)[0]


def assert_valid(xsd, element):
    assert xsd.validate(etree.ElementTree(element)), xsd.error_log.last_error


ATTACHMENT = {"fileName": "a.jpg", "contentType": "image/jpeg", "content": b"\xff\xd8binary"}
READING = {"idempotencyKey": "k-1", "meterId": "W-1", "readingDate": "2025-04-30", "value": "12.5"}
MESSAGE = {"idempotencyKey": "k-2", "messageType": "inquiry", "subject": "S", "body": "B", "attachments": [ATTACHMENT]}
REQUESTS = [
    ("GetCustomer", {}),
    ("ListContracts", {}),
    ("GetContractScan", {"contractId": "U-1"}),
    ("ListMeters", {"serialContains": "abc"}),
    ("ListReadings", {"meterId": "W-1"}),
    ("SubmitReading", READING),
    ("ListInvoices", {}),
    ("GetInvoice", {"invoiceId": "F-1"}),
    ("GetInvoicePdf", {"invoiceId": "F-1"}),
    ("GetSettlements", {}),
    ("GetDocument", {"documentId": "D-1"}),
    ("SendMessage", MESSAGE),
    ("ListMessages", {}),
    ("SetEInvoiceConsent", {"idempotencyKey": "k-3", "enabled": True}),
]


@pytest.mark.parametrize("operation, params", REQUESTS, ids=[row[0] for row in REQUESTS])
def test_every_reply_follows_the_xsd_and_names_the_port_operation(app, client, xsd, operation, params):
    response = post(client, envelope(operation, customerId="K-1001", **params))
    assert response.status_code == 200 and response.mimetype == "text/xml"
    reply = payload_of(response)
    assert reply.tag == f"{{{NAMESPACE}}}{operation}Response"
    assert_valid(xsd, reply)
    assert app.extensions["seen_operations"] == [BY_SOAP_NAME[operation].name]


def test_optional_and_null_fields_are_left_out(client):
    reply = payload_of(post(client, envelope("ListReadings", customerId="K-1001", meterId="W-1")))
    assert [r.find("e:consumption", NS) is None for r in reply.findall("e:readings", NS)] == [False, True]


def test_writes_reach_the_store_as_wire_dicts(app, client):
    post(client, envelope("SubmitReading", customerId="K-1001", **READING))
    post(client, envelope("SendMessage", customerId="K-1001", **MESSAGE))
    reading, message = app.extensions["erp_store"].writes
    assert reading == {
        "idempotencyKey": "k-1", "meterId": "W-1", "readingDate": "2025-04-30", "value": "12.5", "note": "",
    }
    assert message["attachments"] == [ATTACHMENT] and message["premiseId"] is None


def test_repeated_write_gets_the_first_receipt_and_other_content_is_refused(app, client):
    first = post(client, envelope("SetEInvoiceConsent", customerId="K-1001", idempotencyKey="k-9", enabled=True))
    again = post(client, envelope("SetEInvoiceConsent", customerId="K-1001", idempotencyKey="k-9", enabled=True))
    other = post(client, envelope("SetEInvoiceConsent", customerId="K-1001", idempotencyKey="k-9", enabled=False))
    assert again.data == first.data
    assert app.extensions["erp_store"].writes == [(True, "k-9")]
    assert other.status_code == 500
    assert payload_of(other).findtext("detail/e:ErpFault/e:code", namespaces=NS) == "REJECTED"


def fault_of(response):
    assert response.status_code == 500 and response.mimetype == "text/xml"
    fault = payload_of(response)
    assert fault.tag == f"{{{SOAP_ENV}}}Fault"
    return fault


@pytest.mark.parametrize(
    "body, side, code",
    [
        (envelope("GetCustomer", customerId="K-9999"), "Client", "NOT_FOUND"),
        (
            envelope("SubmitReading", customerId="K-1", idempotencyKey="k", meterId="W", readingDate="2025-01-01",
                     value="0.000"),
            "Client",
            "REJECTED",
        ),
        (envelope("ListDocuments", customerId="K-1001"), "Server", None),
        (
            envelope("SetEInvoiceConsent", customerId="K-1", idempotencyKey="bad key!", enabled=True),
            "Client",
            "INVALID",
        ),
        (envelope("ListMeters", customerId="K-1", serialContains="x" * 65), "Client", "INVALID"),
        (b"<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'><soap:Body>", "Client", "INVALID"),
        (b"<Envelope><Body/></Envelope>", "Client", "INVALID"),
        (envelope("GetCustomer", customerId="K-1").replace(NAMESPACE.encode(), b"urn:other"), "Client", "INVALID"),
        (envelope("GetCustomer", customerId="K-1").replace(b"GetCustomer", b"DropTables"), "Client", "INVALID"),
        (envelope("GetCustomer", customerId="K-1").replace(b"GetCustomer", b"GetInvoice"), "Client", "INVALID"),
    ],
    ids=["not-found", "rejected", "server", "bad-key", "too-long", "truncated", "not-soap", "wrong-ns", "unknown-op",
         "missing-field"],
)
def test_failures_are_contract_faults(client, xsd, body, side, code):
    fault = fault_of(post(client, body))
    assert fault.findtext("faultcode") == f"soap:{side}"
    detail = fault.find("detail/e:ErpFault", NS)
    if code is None:
        assert detail is None
    else:
        assert detail.findtext("e:code", namespaces=NS) == code
        assert_valid(xsd, detail)


def test_entities_in_a_request_are_refused_unexpanded(client):
    body = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + envelope("GetCustomer", customerId="K-1001").split(b"?>", 1)[-1].replace(b"K-1001", b"&xxe;")
    )
    fault = fault_of(post(client, body))
    assert fault.findtext("detail/e:ErpFault/e:code", namespaces=NS) == "INVALID"
    assert b"root:" not in etree.tostring(fault)


def test_wsdl_points_at_the_simulator_and_its_xsd(client):
    wsdl = etree.fromstring(client.get("/soap?wsdl").data)
    address = wsdl.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address.get("location") == "http://localhost/soap"
    schema_import = wsdl.find(".//{http://www.w3.org/2001/XMLSchema}import")
    assert schema_import.get("schemaLocation") == "http://localhost/soap?xsd"
    assert client.get("/soap?xsd").data == (CONTRACT_DIR / "ibok-erp.xsd").read_bytes()
    assert client.get("/soap").status_code == 404
