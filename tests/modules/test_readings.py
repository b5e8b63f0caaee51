"""Readings: each meter's history paged, the consumption chart as SVG, the CSV export, the overview."""

from __future__ import annotations

import re

import pytest

from adapters.core.errors import ErpUnavailable
from tests.matching import search

STRANGERS_METER = "W-1002-1"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _rows(page: str) -> int:
    return len(re.findall(r'<th scope="row" data-label="Data">', page))


@pytest.fixture
def community(sign_in_as):
    """K-1005: ten meters read monthly for ten years."""
    return sign_in_as("wspolnota", "K-1005")


def test_the_history_shows_date_value_consumption_type_and_status(kowalski):
    page = _text(kowalski.get("/readings/W-1001-2"))
    assert "Odczyty wodomierza JS25-1187342" in page
    row = search(r"31\.10\.2026</th>(.*?)</tr>", page, re.S).group(1)
    assert all(text in row for text in ("214,209", "8,869", "zdalny", "przyjęty"))
    assert "0,012" in page, "the installation reading, with three decimals"


def test_a_rejected_reading_is_shown_as_such(kowalski):
    row = search(r"20\.11\.2026</th>(.*?)</tr>", _text(kowalski.get("/readings/W-1001-3")), re.S).group(1)
    assert "336,482" in row and "odrzucony" in row and "klienta" in row


def test_ten_years_of_readings_are_paged(community):
    first = _text(community.get("/readings/W-1005-01"))
    assert _rows(first) == 24 and "Strona 1 z 6" in first and "31.10.2026" in first
    last = _text(community.get("/readings/W-1005-01?page=6"))
    assert "31.10.2016</th>" in last and "31.10.2026</th>" not in last


def test_a_year_narrows_the_history_and_the_chart(community):
    page = _text(community.get("/readings/W-1005-01?year=2020"))
    assert _rows(page) == 12 and "Odczyty z roku 2020" in page
    assert page.count("<rect ") == 12
    assert '<option value="2020" selected>' in page


@pytest.mark.parametrize("query, label", [("year=abc", "Rok"), ("year=1800", "Rok"), ("page=-2", "Strona"),
                                          ("page=" + "9" * 300, "Strona")])
def test_a_bad_query_gives_the_page_with_a_message_and_400(kowalski, query, label):
    response = kowalski.get(f"/readings/W-1001-2?{query}")
    assert response.status_code == 400
    page = _text(response)
    assert f"Wartości podanej w polu „{label}” nie można użyć" in page and "214,209" in page


def test_the_chart_is_inline_svg_with_a_title_and_description_and_no_inline_style(community):
    page = _text(community.get("/readings/W-1005-01"))
    svg = search(r"<svg .*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and '<title id="chart-title">' in svg and '<desc id="chart-desc">' in svg
    assert svg.count("<rect ") == 24, "the last 24 periods"
    assert "style=" not in page and "<script" not in page
    assert ", 24 odczyty: " in page


def test_a_meter_without_readings_in_the_year_says_so(kowalski):
    response = kowalski.get("/readings/W-1001-2?year=2020")
    assert response.status_code == 200
    assert "Brak odczytów w roku 2020." in _text(response)


def test_the_csv_export_holds_the_whole_history_the_polish_way(kowalski):
    response = kowalski.get("/readings/W-1001-2/readings.csv")
    assert response.mimetype == "text/csv"
    assert "odczyty-JS25-1187342.csv" in response.headers["Content-Disposition"]
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Data;Wskazanie (m³);Zużycie (m³);Typ;Status"
    assert lines[1] == "14.03.2025;0,012;;zdalny;przyjęty"
    assert lines[-1] == "31.10.2026;214,209;8,869;zdalny;przyjęty"
    assert len(lines) == 22


def test_a_removed_meter_shows_its_history_without_the_form(kowalski):
    page = _text(kowalski.get("/readings/W-1001-1"))
    assert "2 085,906" in page
    assert "nie jest czynny" in page and 'name="value"' not in page


def test_the_history_page_keeps_the_form_when_the_history_is_unavailable(kowalski, billing):
    billing.fail("list_readings", ErpUnavailable("list_readings", "down"))
    response = kowalski.get("/readings/W-1001-2")
    assert response.status_code == 200
    page = _text(response)
    assert "Historia odczytów – nie można teraz wyświetlić" in page
    assert 'name="value"' in page


def test_the_overview_lists_meters_in_service_with_their_last_counted_reading(kowalski):
    page = _text(kowalski.get("/readings/"))
    assert "JS25-1187342" in page and "GRD19-008713" in page and "SW19-0042187" not in page
    assert "436,482" in page and "336,482" not in page, "a rejected reading is not the last one"
    assert "214,209" in page and "31.10.2026" in page


def test_the_overview_shows_a_notice_for_a_meter_the_erp_did_not_answer_for(kowalski, billing):
    billing.fail("list_readings", ErpUnavailable("list_readings", "down"))
    response = kowalski.get("/readings/")
    assert response.status_code == 200
    assert _text(response).count("nie można teraz wyświetlić") == 2


def test_the_overview_of_a_large_customer_is_paged(community, billing):
    billing.calls.clear()
    page = _text(community.get("/readings/"))
    assert page.count("/readings/W-1005-") == 10
    assert len([call for call in billing.calls if call[0] == "list_readings"]) == 10


@pytest.mark.parametrize("suffix", ["", "/readings.csv"])
def test_another_customers_readings_are_404_and_never_reach_the_erp(kowalski, billing, suffix):
    billing.calls.clear()
    response = kowalski.get(f"/readings/{STRANGERS_METER}{suffix}")
    assert response.status_code == 404 and "SW22-0063321" not in _text(response)
    assert not [call for call in billing.calls if STRANGERS_METER in call[1]]


def test_the_owner_sees_their_own_readings(nowak):
    assert "SW22-0063321" in _text(nowak.get(f"/readings/{STRANGERS_METER}"))
