"""The pieces every module page shares: ownership, query parsing, paging, files, CSV, data age."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from marshmallow import fields
from werkzeug.exceptions import NotFound

from adapters.core.records import FileContent
from adapters.resilience.cached import CachedBilling
from gateway.web.exports import csv_cell
from gateway.web.files import safe_filename, send_erp_file
from gateway.web.ownership import find_own, well_formed
from gateway.web.paging import paginate
from gateway.web.query import QuerySchema, page_number, parse_query


class Thing:
    def __init__(self, id):
        self.id = id


@pytest.mark.parametrize("object_id", ["FV-1", "W-1001-1", "a.b_c-1"])
def test_ids_the_erp_could_issue_are_well_formed(object_id):
    assert well_formed(object_id)


@pytest.mark.parametrize("object_id", ["", None, "../x", "a/b", ".", "a b", "x" * 65, "%2e%2e", "ą"])
def test_path_tricks_and_oversized_ids_are_not(object_id):
    assert not well_formed(object_id)


def test_an_id_not_among_the_customers_own_is_404():
    assert find_own([Thing("A"), Thing("B")], "B").id == "B"
    with pytest.raises(NotFound):
        find_own([Thing("A")], "B")


class PageQuery(QuerySchema):
    page = page_number()


@pytest.mark.parametrize("raw, page, errors", [({}, 1, 0), ({"page": "3"}, 3, 0), ({"page": "x"}, 1, 1),
                                               ({"page": "-1"}, 1, 1), ({"page": "9" * 300}, 1, 1),
                                               ({"other": "x"}, 1, 0)])
def test_a_bad_query_value_falls_back_with_a_message(app, raw, page, errors):
    with app.test_request_context():
        parsed = parse_query(PageQuery, {"page": "Strona"}, raw)
    assert parsed.values["page"] == page
    assert len(parsed.errors) == errors
    assert parsed.status == (400 if errors else 200)
    assert all("Strona" in message for message in parsed.errors)


def test_each_query_is_loaded_anew_and_its_values_are_the_callers_own(app):
    with app.test_request_context():
        first = parse_query(PageQuery, {"page": "Strona"}, {"page": "7", "trace": "1"})
        first.values["page"] = 99
        first.add_error("mine")
        again = parse_query(PageQuery, {"page": "Strona"}, {"page": "7", "trace": "1"})
        bad = [parse_query(PageQuery, {"page": label}, {"page": "x", "trace": "2"}) for label in ("Strona", "Page")]
    assert again.values == {"page": 7} and again.errors == []
    assert [parsed.errors[0].count(label) for parsed, label in zip(bad, ("Strona", "Page"))] == [1, 1]


def test_a_page_opened_without_a_query_gets_its_defaults_in_a_dict_of_its_own(app):
    with app.test_request_context():
        first = parse_query(PageQuery, {"page": "Strona"}, {})
        first.values["page"] = 99
        again = parse_query(PageQuery, {"page": "Strona"}, {})
    assert again.values == {"page": 1} and again.errors == [] and again.status == 200


def test_a_default_computed_at_load_time_is_computed_for_each_page(app):
    class CountedQuery(QuerySchema):
        page = page_number()
        visit = fields.Integer(load_default=itertools.count(1).__next__)

    with app.test_request_context():
        visits = [parse_query(CountedQuery, {}, {}).values for _ in range(3)]
    assert visits == [{"page": 1, "visit": 1}, {"page": 1, "visit": 2}, {"page": 1, "visit": 3}]


def test_paging_clamps_to_the_pages_there_are():
    page = paginate(list(range(45)), 9, per_page=20)
    assert (page.number, page.pages, list(page.items)) == (3, 3, list(range(40, 45)))
    assert paginate([], 1).pages == 1


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd.pdf"),
    ("C:\\Windows\\faktura.pdf", "faktura.pdf"),
    ("faktura\r\nX-Evil: 1.pdf", "fakturaX-Evil: 1.pdf"),
    ("", "plik.pdf"),
    ("Umowa Kowalski.pdf", "Umowa Kowalski.pdf"),
])
def test_file_names_keep_only_a_safe_base_name(name, expected):
    assert safe_filename(name, "plik", "application/pdf") == expected


def test_an_erp_file_that_a_browser_would_run_is_sent_as_plain_bytes(app):
    with app.test_request_context():
        response = send_erp_file(FileContent("x.html", "text/html", b"<script>"), "plik", inline=True)
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("value, cell", [(Decimal("-1234.50"), "-1234,50"), ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
                                         ("@SUM", "'@SUM"), (None, ""), (True, "tak")])
def test_csv_cells_are_polish_and_never_formulas(value, cell):
    assert csv_cell(value) == cell


def test_a_page_from_a_cache_older_than_a_minute_says_when_it_was_read(config, billing, make_account, app):
    read_at = datetime.now(timezone.utc) - timedelta(minutes=5)
    app.extensions["billing"] = CachedBilling(billing, clock=lambda: read_at)
    make_account()
    client = app.test_client()
    client.post("/sign-in", data={"login": "kowalski", "password": "Correct-Horse-Battery-9"})
    page = client.get("/").get_data(as_text=True)
    assert "Dane z systemu rozliczeniowego według stanu na" in page


def test_a_fresh_page_says_nothing_about_its_age(signed_in):
    assert "według stanu na" not in signed_in.get("/").get_data(as_text=True)
