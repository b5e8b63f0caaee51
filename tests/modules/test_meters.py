"""Meters: the list with its serial and status filters, the details of one, legalisation warnings."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.core.errors import ErpUnavailable
from gateway import clock

STRANGERS_METER, STRANGERS_SERIAL = "W-1002-1", "SW22-0063321"


@pytest.fixture
def today(monkeypatch):
    """Move the portal's calendar: legalisation warnings depend on the day."""

    def move(day: date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    move(date(2026, 11, 27))
    return move


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_list_shows_every_meter_with_status_premise_and_legalisation(kowalski, today):
    page = _text(kowalski.get("/meters/"))
    for text in ("SW19-0042187", "JS25-1187342", "GRD19-008713", "zdemontowany", "czynny", "ul. Klonowa 7",
                 "ROD „Pod Lipami”", "31.12.2030", "/readings/W-1001-2"):
        assert text in page, text


@pytest.mark.parametrize("query, shown, hidden", [
    ("serial=js25", ["JS25-1187342"], ["SW19-0042187", "GRD19-008713"]),
    ("serial=0042", ["SW19-0042187"], ["JS25-1187342", "GRD19-008713"]),
    ("serial=%20grd19-008713%20", ["GRD19-008713"], ["JS25-1187342"]),
    ("status=removed", ["SW19-0042187"], ["JS25-1187342", "GRD19-008713"]),
    ("status=active&serial=SW", [], ["SW19-0042187", "JS25-1187342"]),
])
def test_the_list_filters_by_part_of_the_serial_in_any_case_and_by_status(kowalski, query, shown, hidden):
    response = kowalski.get(f"/meters/?{query}")
    assert response.status_code == 200
    page = _text(response)
    assert all(serial in page for serial in shown)
    assert not any(serial in page for serial in hidden)
    if not shown:
        assert "Żaden wodomierz nie spełnia warunków filtra." in page


def test_filtering_asks_the_erp_once_for_the_whole_list(kowalski, billing):
    kowalski.get("/meters/?serial=js")
    assert [call for call in billing.calls if call[0] == "list_meters"] == [("list_meters", ("K-1001", None))]


@pytest.mark.parametrize("query, label", [
    ("status=broken", "Status"), ("serial=" + "x" * 33, "Numer fabryczny"), ("serial=%3Cscript%3E", "Numer fabryczny"),
    ("serial=" + "a" * 300, "Numer fabryczny"), ("page=zero", "Strona"),
])
def test_a_bad_filter_is_dropped_with_a_message_and_400(kowalski, query, label):
    response = kowalski.get(f"/meters/?{query}")
    assert response.status_code == 400
    page = _text(response)
    assert f"Wartości podanej w polu „{label}” nie można użyć" in page
    assert "JS25-1187342" in page, "the list still shows, unfiltered"
    assert "<script>" not in page


def test_the_details_show_everything_about_the_meter(kowalski, today):
    page = _text(kowalski.get("/meters/W-1001-2"))
    for text in ("JS25-1187342", "czynny", "Jan Kowalski", "ul. Klonowa 7", "14.03.2025", "G1 – gospodarstwa domowe",
                 "DN15", "31.12.2030", "Zastąpił wodomierz", "SW19-0042187", "/readings/W-1001-2"):
        assert text in page, text
    assert "Legalizacja tego wodomierza" not in page


def test_a_removed_meter_links_to_its_replacement(kowalski, today):
    page = _text(kowalski.get("/meters/W-1001-1"))
    assert "zdemontowany" in page and "14.03.2025" in page
    assert "Zastąpiony przez wodomierz" in page and "/meters/W-1001-2" in page
    assert "wygasła" not in page, "a removed meter's legalisation no longer matters"


def test_a_legalisation_expiring_within_90_days_stands_out(kowalski, today):
    page = _text(kowalski.get("/meters/W-1001-3"))
    assert "Legalizacja tego wodomierza wygasa 31.01.2027, czyli w ciągu 90 dni." in page
    assert "wkrótce wygasa" in _text(kowalski.get("/meters/"))


def test_an_expired_legalisation_stands_out(kowalski, today):
    today(date(2027, 2, 1))
    page = _text(kowalski.get("/meters/W-1001-3"))
    assert "Legalizacja tego wodomierza wygasła 31.01.2027." in page
    assert "legalisation-alert" in page


def test_the_list_needs_the_erp(kowalski, billing):
    billing.fail("list_meters", ErpUnavailable("list_meters", "down"))
    assert kowalski.get("/meters/").status_code == 503


def test_another_customers_meter_is_404_and_never_reaches_the_erp(kowalski, billing):
    billing.calls.clear()
    response = kowalski.get(f"/meters/{STRANGERS_METER}")
    assert response.status_code == 404 and STRANGERS_SERIAL not in _text(response)
    assert not [call for call in billing.calls if STRANGERS_METER in call[1]]


def test_another_customers_serial_finds_nothing(kowalski):
    page = _text(kowalski.get(f"/meters/?serial={STRANGERS_SERIAL}"))
    assert "Żaden wodomierz nie spełnia warunków filtra." in page and STRANGERS_METER not in page


def test_the_owner_sees_their_own_meter(nowak):
    assert STRANGERS_SERIAL in _text(nowak.get(f"/meters/{STRANGERS_METER}"))
