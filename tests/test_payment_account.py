"""The customer's payment account: checked as banks check an NRB, never failing the customer's page, and replaced
when recordings are anonymised."""

from __future__ import annotations

import json
import logging

import pytest

from adapters.core.accounts import as_nrb, grouped, nrb_is_valid
from adapters.testing.anonymise import anonymise_all
from adapters.testing.recording import Exchange
from adapters.wire.schemas import CUSTOMER, load_one

# The account of the ZBP recommendation's example, and the demo's K-1001 (fixtures/demo/people.py).
ZBP_EXAMPLE = "92124012340001567890123456"
DEMO_K1001 = "62999000120000000000001001"
CUSTOMER_WIRE = {
    "customerId": "K-1001", "fullName": "Jan Kowalski",
    "address": {"street": "ul. Klonowa 7", "postalCode": "47-100", "city": "Strzelce Opolskie"},
    "taxId": "68052141751", "taxIdType": "PESEL",
}


@pytest.mark.parametrize("number, valid", [
    (ZBP_EXAMPLE, True),
    (DEMO_K1001, True),
    ("92124012340001567890123457", False),  # last digit mistyped
    ("29124012340001567890123456", False),  # check digits swapped
    ("9212401234000156789012345", False),  # 25 digits
    ("921240123400015678901234567", False),  # 27 digits
    ("9212401234000156789012345a", False),
    ("９２124012340001567890123456", False),  # full-width digits pass str.isdigit(), not a bank
])
def test_nrb_checksum(number, valid):
    assert nrb_is_valid(number) is valid


@pytest.mark.parametrize("text, number", [
    ("92 1240 1234 0001 5678 9012 3456", ZBP_EXAMPLE),
    ("PL92124012340001567890123456", ZBP_EXAMPLE),
    ("pl 92 1240-1234-0001-5678-9012-3456", ZBP_EXAMPLE),
    ("PL92 1240 1234 0001 5678 9012 3457", None),
    ("DE89370400440532013000", None),
])
def test_accounts_as_erps_write_them(text, number):
    assert as_nrb(text) == number


def test_grouped_the_polish_way():
    assert grouped(DEMO_K1001) == "62 9990 0012 0000 0000 0000 1001"
    assert grouped(ZBP_EXAMPLE) == "92 1240 1234 0001 5678 9012 3456"


@pytest.mark.parametrize("wire, expected", [
    ({"paymentAccount": DEMO_K1001}, DEMO_K1001),
    ({"paymentAccount": "PL 62 9990 0012 0000 0000 0000 1001"}, DEMO_K1001),
    ({"paymentAccount": None}, None),
    ({}, None),
])
def test_customer_carries_the_account_when_the_erp_sends_one(wire, expected):
    assert load_one("get_customer", CUSTOMER, {**CUSTOMER_WIRE, **wire}).payment_account == expected


@pytest.mark.parametrize("bad", ["62999000120000000000001002", "123", 62999000120000000000001001, "6" * 5000])
def test_a_bad_account_is_logged_without_the_number_and_treated_as_absent(bad, caplog):
    caplog.set_level(logging.WARNING)
    customer = load_one("get_customer", CUSTOMER, {**CUSTOMER_WIRE, "paymentAccount": bad})
    assert customer.payment_account is None
    assert customer.name == "Jan Kowalski", "the rest of the customer still loads"
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "paymentAccount" in caplog.text
    assert str(bad)[:12] not in caplog.text


def test_recordings_replace_the_account_by_a_valid_stand_in():
    reply = json.dumps({**CUSTOMER_WIRE, "paymentAccount": DEMO_K1001})
    xml = (f'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><c>'
           f"<paymentAccount>{DEMO_K1001}</paymentAccount></c></e:Body></e:Envelope>")
    exchanges = [Exchange("get_customer", "GET", "/c", "", 200, {"Content-Type": "application/json"}, text=reply),
                 Exchange("get_customer", "POST", "/soap", "", 200, {"Content-Type": "text/xml"}, text=xml)]
    json_reply, xml_reply = (exchange.text or "" for exchange in anonymise_all(exchanges))
    stand_in = json.loads(json_reply)["paymentAccount"]
    assert DEMO_K1001 not in json_reply + xml_reply
    assert nrb_is_valid(stand_in) and stand_in != DEMO_K1001
    assert f"<paymentAccount>{stand_in}</paymentAccount>" in xml_reply, "the same stand-in in every file"
