"""The payment port's arithmetic and the Przelewy24 adapter: grosze, signatures (the reference vectors), HTTP."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
import requests
import responses

from adapters.payments.amounts import AmountError, from_grosze, to_grosze
from adapters.payments.errors import BadNotification, OperatorRefused, OperatorUnavailable
from adapters.payments.port import check_matches
from adapters.payments.przelewy24 import Przelewy24, Przelewy24Settings, sign
from adapters.payments.records import Expected, PaymentOrder

P24 = "https://sandbox.przelewy24.pl"
# The Przelewy24 PHP SDK's notification test (tests/TransactionStatusNotificationTest.php): crc "bar".
SDK_NOTIFICATION = {
    "merchantId": 12345, "posId": 123, "sessionId": "0beec7", "amount": 1500, "originAmount": 1500,
    "currency": "PLN", "orderId": 123456789, "methodId": 32, "statement": "p24-XXX-YYY-ZZZ",
    "sign": "703e946290d92230297c35d3bc8f554d4a458a4c97c9917665929c5ef5e682f7a868ac36e5dff20184c6a5302ef66c77",
}


def operator(**changes: Any) -> Przelewy24:
    values: dict[str, Any] = dict(merchant_id=12345, pos_id=123, crc="bar", api_key="foo", url=P24,
                                  connect_timeout=0.2, read_timeout=0.2, deadline=0.5)
    values.update(changes)
    return Przelewy24(Przelewy24Settings(**values))


def order(amount: str = "15.00") -> PaymentOrder:
    return PaymentOrder("abc-123", Decimal(amount), "Faktura FV/1", "jan@example.com",
                        "https://ibok.test/payments/abc-123/return", "https://ibok.test/payments/notify")


@pytest.mark.parametrize("amount, grosze", [
    ("15.00", 1500), ("0.01", 1), ("1234.5", 123450), ("99999999.99", 9999999999), ("7", 700), ("34.290", 3429),
])
def test_amounts_become_whole_grosze_exactly(amount, grosze):
    assert to_grosze(Decimal(amount)) == grosze


@pytest.mark.parametrize("amount", ["12.345", "0.001", "0", "-5.00", "NaN", "Infinity", "1E+30000"])
def test_a_fraction_of_a_grosz_or_nothing_to_pay_is_refused(amount):
    with pytest.raises(AmountError):
        to_grosze(Decimal(amount))


def test_a_float_is_refused_as_money():
    with pytest.raises(AmountError):
        to_grosze(12.5)  # type: ignore[arg-type]


def test_grosze_come_back_as_two_place_decimals():
    assert from_grosze(3429) == Decimal("34.29") and str(from_grosze(700)) == "7.00"


def test_the_register_signature_follows_the_reference_value():
    value = sign({"sessionId": "abc-123", "merchantId": 12345, "amount": 1500, "currency": "PLN"}, "bar")
    assert value.startswith("327b3a57") and value.endswith("84f440d9") and len(value) == 96


def test_the_sdks_notification_vector_is_accepted():
    notification = operator().read_notification(json.dumps(SDK_NOTIFICATION).encode())
    assert (notification.session_id, notification.grosze, notification.currency, notification.order_id) == \
        ("0beec7", 1500, "PLN", 123456789)


@pytest.mark.parametrize("change", [
    {"amount": 1501}, {"sessionId": "0beec8"}, {"sign": "0" * 96}, {"sign": ""}, {"statement": "p24-XXX-YYY-ZZA"},
])
def test_a_changed_field_or_sign_breaks_the_notification(change):
    with pytest.raises(BadNotification, match="bad signature"):
        operator().read_notification(json.dumps({**SDK_NOTIFICATION, **change}).encode())


@pytest.mark.parametrize("body", [b"", b"[]", b"not json", json.dumps({**SDK_NOTIFICATION, "amount": "1500"}).encode(),
                                  json.dumps({**SDK_NOTIFICATION, "orderId": True}).encode(), b"{" * 20000])
def test_malformed_notifications_are_refused(body):
    with pytest.raises(BadNotification):
        operator().read_notification(body)


def test_a_notification_signed_for_another_merchant_is_refused():
    body = {**SDK_NOTIFICATION, "merchantId": 999}
    body["sign"] = sign({k: body[k] for k in list(SDK_NOTIFICATION)[:-1]}, "bar")
    with pytest.raises(BadNotification, match="another merchant"):
        operator().read_notification(json.dumps(body).encode())


def test_a_notification_must_match_the_portals_record():
    notification = operator().read_notification(json.dumps(SDK_NOTIFICATION).encode())
    check_matches(notification, Expected("0beec7", Decimal("15.00")))
    wrongs = [(Expected("0beec7", Decimal("15.01")), "amount"), (Expected("other", Decimal("15")), "session"),
              (Expected("0beec7", Decimal("15"), "EUR"), "currency")]
    for wrong, reason in wrongs:
        with pytest.raises(BadNotification, match=reason):
            check_matches(notification, wrong)


@responses.activate
def test_register_sends_the_signed_body_with_basic_auth_and_returns_the_payers_page():
    responses.post(f"{P24}/api/v1/transaction/register", json={"data": {"token": "TOK-1"}, "responseCode": 0})
    registration = operator().register(order())
    assert registration.redirect_url == f"{P24}/trnRequest/TOK-1"
    sent = responses.calls[0].request
    body = json.loads(sent.body or b"")
    assert body["amount"] == 1500 and body["merchantId"] == 12345 and body["posId"] == 123
    assert body["sign"].startswith("327b3a57") and body["urlStatus"] == "https://ibok.test/payments/notify"
    assert sent.headers["Authorization"] == "Basic MTIzOmZvbw=="  # 123:foo


def test_register_refuses_a_fraction_of_a_grosz_before_sending():
    with pytest.raises(AmountError):
        operator().register(order("15.005"))


@responses.activate
def test_register_is_never_retried_after_a_timeout():
    responses.post(f"{P24}/api/v1/transaction/register", body=requests.ConnectTimeout())
    with pytest.raises(OperatorUnavailable):
        operator().register(order())
    assert len(responses.calls) == 1


@responses.activate
@pytest.mark.parametrize("status, reply, error", [
    (500, {"error": "x"}, OperatorUnavailable), (400, {"error": "Incorrect sign", "code": 400}, OperatorRefused),
    (200, {"data": {}, "responseCode": 0}, OperatorRefused),
    (200, {"data": {"token": "../x"}, "responseCode": 0}, OperatorRefused),
])
def test_register_failures_are_typed(status, reply, error):
    responses.post(f"{P24}/api/v1/transaction/register", json=reply, status=status)
    with pytest.raises(error):
        operator().register(order())


@responses.activate
def test_verify_sends_its_own_signature_and_accepts_success_only():
    responses.put(f"{P24}/api/v1/transaction/verify", json={"data": {"status": "success"}, "responseCode": 0})
    notification = operator().read_notification(json.dumps(SDK_NOTIFICATION).encode())
    operator().verify(notification)
    body = json.loads(responses.calls[0].request.body or b"")
    assert body["orderId"] == 123456789 and body["amount"] == 1500
    assert body["sign"] == sign({"sessionId": "0beec7", "orderId": 123456789, "amount": 1500, "currency": "PLN"}, "bar")
    responses.put(f"{P24}/api/v1/transaction/verify", json={"data": {"status": "failed"}, "responseCode": 0})
    with pytest.raises(OperatorRefused):
        operator().verify(notification)
