"""Recording, anonymising and replaying ERP exchanges."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from adapters.testing.anonymise import Anonymiser, anonymise_all
from adapters.testing.recording import Exchange, load_exchanges, save_exchanges
from adapters.testing.replay import canonical_body, replaying
from adapters.testing.synthetic import PDF, nip, pesel
from fixtures.simulator.app import create_simulator
from fixtures.simulator.auth import DEMO
from fixtures.simulator.store import DemoStore

CUSTOMER_JSON = json.dumps(
    {
        "customerId": "K-1001",
        "fullName": "Jan Kowalski",
        "address": {"street": "ul. Opolska 12", "postalCode": "47-100", "city": "Strzelce Opolskie"},
        "email": "jan.kowalski@poczta.pl",
        "phone": "+48 601 234 567",
        "taxId": "85010112345",
    }
)
MESSAGE_XML = (
    '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><m><body>'
    "Jan Kowalski prosi o zwrot na konto 12 1020 3040 5060 7080 9010 1112</body>"
    "<author>Maria Urzędniczka</author></m></e:Body></e:Envelope>"
)
RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "recorded"
PERSONAL = ["Jan Kowalski", "ul. Opolska 12", "jan.kowalski@poczta.pl", "601 234 567", "85010112345",
            "1020 3040 5060", "Maria Urzędniczka"]


def _exchange(operation, text, content_type, path="/x"):
    return Exchange(operation, "GET", path, "", 200, {"Content-Type": content_type}, text=text)


def test_personal_data_is_replaced_everywhere_and_consistently():
    xml_first = _exchange("list_messages", MESSAGE_XML, "text/xml; charset=utf-8")
    json_later = _exchange("get_customer", CUSTOMER_JSON, "application/json")
    anonymised = anonymise_all([xml_first, json_later])
    texts = [exchange.text or "" for exchange in anonymised]
    everything = " ".join(texts)
    for value in PERSONAL:
        assert value not in everything
    synthetic_name = json.loads(texts[1])["fullName"]
    assert synthetic_name in texts[0], "the name quoted in the message got the same stand-in"
    assert json.loads(texts[1])["customerId"] == "K-1001", "ids are not personal data"


def test_file_contents_become_a_synthetic_pdf():
    pdf = Exchange("get_invoice_pdf", "GET", "/pdf", "", 200, {"Content-Type": "application/pdf"}, base64="JVBERi0=")
    assert anonymise_all([pdf])[0].content == PDF
    assert PDF.startswith(b"%PDF-") and PDF.rstrip().endswith(b"%%EOF")


def test_synthetic_tax_ids_have_valid_checksums():
    anonymiser = Anonymiser()
    made_pesel = anonymiser.value("tax_id", "85010112345")
    made_nip = anonymiser.value("tax_id", "7561234567")
    assert len(made_pesel) == 11 and made_pesel == pesel(int(made_pesel[:10]))
    assert len(made_nip) == 10 and made_nip == nip(int(made_nip[:9]))
    assert anonymiser.value("tax_id", "85010112345") == made_pesel


def test_exchanges_survive_a_save_and_load_in_order(tmp_path):
    exchanges = [_exchange("get_customer", CUSTOMER_JSON, "application/json", "/customers/K-1001"),
                 Exchange("get_invoice_pdf", "GET", "/pdf", "", 200, {"Content-Type": "application/pdf"},
                          base64="JVBERi0=")]
    save_exchanges(exchanges, tmp_path)
    assert load_exchanges(tmp_path) == exchanges
    assert sorted(path.name for path in tmp_path.iterdir()) == ["0001-get_customer.json", "0002-get_invoice_pdf.json"]


def test_a_folder_without_recordings_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no recorded exchanges"):
        load_exchanges(tmp_path)


def test_soap_requests_match_on_the_body_not_on_security_headers():
    with_nonce = ('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header><n>1</n></e:Header>'
                  "<e:Body><GetCustomer><customerId>K-1</customerId></GetCustomer></e:Body></e:Envelope>")
    other_nonce = with_nonce.replace("<n>1</n>", "<n>2</n>")
    assert canonical_body(with_nonce) == canonical_body(other_nonce)
    assert canonical_body('{"b": 1, "a": 2}') == canonical_body(b'{"a":2,"b":1}')


def test_replay_answers_recorded_requests_in_order_and_refuses_others(tmp_path):
    first = _exchange("list_messages", '{"messages": []}', "application/json", "/customers/K-1/messages")
    second = _exchange("list_messages", '{"messages": [1]}', "application/json", "/customers/K-1/messages")
    save_exchanges([first, second], tmp_path)
    with replaying(tmp_path, "http://erp.replay.test/api"):
        url = "http://erp.replay.test/api/customers/K-1/messages"
        assert requests.get(url, timeout=1).json() == {"messages": []}
        assert requests.get(url, timeout=1).json() == {"messages": [1]}
        assert requests.get(url, timeout=1).json() == {"messages": [1]}
        with pytest.raises(requests.ConnectionError):
            requests.get("http://erp.replay.test/api/customers/K-2/messages", timeout=1)


def test_an_xml_file_keeps_its_structure_with_personal_values_replaced():
    invoice = '<?xml version="1.0" encoding="utf-8"?><Faktura><NIP>7562000003</NIP><P_2>FV/1/2026</P_2></Faktura>'
    content = base64.b64encode(invoice.encode()).decode()
    reply = _exchange("get_invoice_xml", json.dumps({"content": content}), "application/json")
    anonymised = base64.b64decode(json.loads(anonymise_all([reply])[0].text or "")["content"]).decode()
    assert anonymised.endswith("<P_2>FV/1/2026</P_2></Faktura>") and "<NIP>" in anonymised
    assert "7562000003" not in anonymised


def test_the_simulator_clock_is_fixed_for_a_recording_until_released():
    own = datetime(2026, 11, 27, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    store = DemoStore.load(clock=lambda: own)
    client = create_simulator(store=store).test_client()
    assert client.put("/_sim/clock", json={"now": "2026-12-05T12:00:00+01:00"}).status_code == 200
    client.post("/_sim/reset")
    assert store.clock().isoformat() == "2026-12-05T12:00:00+01:00"
    assert client.put("/_sim/clock", json={"now": "2026-12-05T12:00:00"}).status_code == 400
    assert client.put("/_sim/clock", json={"then": "2026-12-05T12:00:00+01:00"}).status_code == 400
    assert client.delete("/_sim/clock").status_code == 204
    assert store.clock() == own


@pytest.mark.parametrize("protocol", ["soap", "rest"])
def test_the_shipped_recordings_stamp_the_sent_message_with_the_fixed_time(protocol):
    folder = RECORDED / protocol
    lists = [exchange.text or "" for exchange in load_exchanges(folder) if exchange.operation == "list_messages"]
    writer = [text for text in lists if "MSG-1003-" in text]
    assert writer and "2026-12-05T12:00:00+01:00" in writer[-1]


def test_the_shipped_recordings_hold_no_recorded_customers_personal_value_and_no_password():
    shipped = " ".join(path.read_text(encoding="utf-8") for path in RECORDED.rglob("*.json"))
    for value in ["Jan Kowalski", "anna.nowak@example.com", "91070956252", "ul. Polna 3", "Piekarnia „Pod Młynem”",
                  "biuro@pod-mlynem.example.com", "+48 77 400 10 04", "7562000003", "78999000120000000000001004",
                  "ul. Młyńska 2", DEMO.password]:
        assert value not in shipped
