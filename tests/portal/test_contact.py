"""The office's phone where a customer is told to contact it, and an error reference short enough to read out."""

from __future__ import annotations

import re

import pytest

from adapters.wire.http import CORRELATION_HEADER
from gateway.web.branding import phone_href
from gateway.web.errors import REFERENCE_ALPHABET, error_reference
from gateway.web.logs import CorrelationFilter
from tests.portal.conftest import sign_in

PHONE = "+48 77 461 00 00"
REFERENCE = re.compile(r"<strong class=\"reference\">([0-9A-Z]{4}-[0-9A-Z]{4})</strong>")


@pytest.mark.parametrize(("phone", "href"), [("+48 77 461 00 00", "tel:+48774610000"),
                                             ("77 461-00-00", "tel:774610000"),
                                             ("(77) 461 00 00", "tel:774610000"), ("", "")])
def test_a_phone_number_becomes_a_link_a_phone_can_dial(phone, href):
    assert phone_href(phone) == href


@pytest.mark.parametrize(("correlation_id", "reference"), [("0123456789abcdef", "KYFN-24FQ"),
                                                           ("fedcba9876543210", "6HJZ-DSMQ")])
def test_an_error_reference_is_eight_unambiguous_characters(correlation_id, reference):
    """The expected values: the first 5 bytes of SHA-256 in RFC 4648 base32, its alphabet mapped onto Crockford's."""
    assert error_reference(correlation_id) == reference


def test_error_references_avoid_letters_misheard_on_the_phone_and_rarely_repeat():
    assert not set("ILOU") & set(REFERENCE_ALPHABET) and len(set(REFERENCE_ALPHABET)) == 32
    references = {error_reference(f"{number:016x}") for number in range(20000)}
    assert len(references) == 20000


def test_the_error_page_gives_the_phone_and_a_reference_found_in_the_logs(app, client, caplog):
    app.config["UTILITY_PHONE"] = PHONE
    caplog.handler.addFilter(CorrelationFilter())
    caplog.set_level("INFO")
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    found = REFERENCE.search(page)
    assert found, page
    assert f'pod numer <a href="tel:+48774610000">{PHONE}</a>, prosimy podać ten kod: ' in page
    assert response.headers[CORRELATION_HEADER] not in page
    lines = [record for record in caplog.records if found.group(1) in record.getMessage()]
    assert [getattr(record, "correlation_id", None) for record in lines] == [response.headers[CORRELATION_HEADER]]


def test_without_a_phone_the_error_page_still_gives_the_reference(app, client):
    app.config["UTILITY_PHONE"] = ""
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "Jeśli skontaktują się Państwo w tej sprawie z Biurem Obsługi Klienta, prosimy podać ten kod: " in page
    assert REFERENCE.search(page) and "tel:" not in page


def test_the_phone_is_in_the_footer_and_on_the_contact_hints(app, client, make_account):
    app.config["UTILITY_PHONE"] = PHONE
    sign_in_page = client.get("/sign-in").get_data(as_text=True)
    assert sign_in_page.count(f'<a href="tel:+48774610000">{PHONE}</a>') == 2  # the access hint and the footer
    make_account()
    sign_in(client)
    settings = client.get("/settings/").get_data(as_text=True)
    assert f'prosimy o kontakt z Biurem Obsługi Klienta. Telefon: <a href="tel:+48774610000">{PHONE}</a>.' in settings


def test_the_demo_has_the_offices_phone():
    from config import demo

    assert demo.UTILITY_PHONE == PHONE
