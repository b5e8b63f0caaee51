"""One table from HTTP statuses to ERP errors for both protocols, and one sanitiser of the ERP's reasons."""

from __future__ import annotations

import pytest

from adapters.core.errors import ErpBadResponse, ErpNotFound, ErpRejected, ErpUnavailable
from adapters.wire.statuses import FALLBACK_REASON, error_for_status, sanitise_reason


@pytest.mark.parametrize(
    "status, rest, soap",
    [
        (200, None, None),
        (201, None, None),
        (401, ErpUnavailable, ErpUnavailable),
        (403, ErpUnavailable, ErpUnavailable),
        (404, ErpNotFound, ErpBadResponse),  # over SOAP "not found" is a fault; a 404 is a wrong endpoint
        (408, ErpUnavailable, ErpUnavailable),
        (409, ErpRejected, ErpBadResponse),
        (422, ErpRejected, ErpBadResponse),
        (429, ErpUnavailable, ErpUnavailable),
        (400, ErpBadResponse, ErpBadResponse),
        (302, ErpBadResponse, ErpBadResponse),
        (500, ErpUnavailable, ErpUnavailable),
        (503, ErpUnavailable, ErpUnavailable),
    ],
)
def test_each_status_means_the_same_error_over_both_protocols_but_the_rest_contracts_own(status, rest, soap):
    for found, expected in ((error_for_status("op", status), rest), (error_for_status("op", status, soap=True), soap)):
        assert (type(found) if found is not None else None) is expected


def test_a_refusal_carries_the_erps_cleaned_words_and_a_known_code_only():
    refused = error_for_status("op", 422, reason="Odczyt\r\n  niższy\x00 niż poprzedni", code="INVALID")
    assert isinstance(refused, ErpRejected)
    assert (refused.reason, refused.code) == ("Odczyt niższy niż poprzedni", "INVALID")
    unknown_code = error_for_status("op", 409, reason="x", code="DROP TABLE")
    assert isinstance(unknown_code, ErpRejected) and unknown_code.code == "REJECTED"


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Wodomierz zdemontowany.", "Wodomierz zdemontowany."),
        ("  dwie\tlinie\nw jednej  ", "dwie linie w jednej"),
        ("", FALLBACK_REASON),
        (" \x07 ", FALLBACK_REASON),
        (None, FALLBACK_REASON),
        ({"message": "x"}, FALLBACK_REASON),
        ("a" * 600, "a" * 500),
    ],
)
def test_the_erps_reason_is_one_bounded_line_and_never_empty(text, shown):
    assert sanitise_reason(text) == shown


def test_messages_never_quote_more_than_the_status():
    assert str(error_for_status("list_invoices", 503)) == "list_invoices: ERP answered 503"
    assert str(error_for_status("list_invoices", 401)) == "list_invoices: ERP refused the credentials"
