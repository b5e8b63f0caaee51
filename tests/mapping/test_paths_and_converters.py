"""The mapping file's path syntax, converters and request templates, on concrete values an ERP sends."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from adapters.kit import ErpNotFound
from adapters.kit.mapping.converters import CONVERTERS, ConvertError, odata_date
from adapters.kit.mapping.paths import Path, PathMismatch, PathSyntaxError
from adapters.kit.mapping.templates import Request, Template

REPLY = {"d": {"results": [
    {"InvoiceID": "A", "Lines": {"results": [{"Amount": "1.10"}, {"Amount": "2.20"}]}, "Address": {"City": "Opole"}},
    {"InvoiceID": "B", "Lines": {"results": []}, "Address": None},
], "__next": "Invoices?$skiptoken=2"}}


@pytest.mark.parametrize("text, node, expected", [
    ("d.__next", REPLY, "Invoices?$skiptoken=2"),
    ("d.results[0].InvoiceID", REPLY, "A"),
    ("d.results[-1].InvoiceID", REPLY, "B"),
    ("d.results[0].Address.City", REPLY, "Opole"),
    ("d.results[1].Address.City", REPLY, None),
    ("d.results[5].InvoiceID", REPLY, None),
    ("d.missing.deeper", REPLY, None),
    ("@", {"a": 1}, {"a": 1}),
    ("[1]", ["x", "y"], "y"),
    ("InvoiceID", "not an object", None),
])
def test_a_path_finds_one_value_or_none(text, node, expected):
    assert Path(text).get(node) == expected


@pytest.mark.parametrize("text, expected", [
    ("d.results[*].InvoiceID", ["A", "B"]),
    ("d.results[*].Lines.results[*].Amount", ["1.10", "2.20"]),
    ("d.results[0].Lines.results[*]", [{"Amount": "1.10"}, {"Amount": "2.20"}]),
])
def test_a_wildcard_path_flattens_every_list_in_order(text, expected):
    assert Path(text).each(REPLY) == expected


@pytest.mark.parametrize("text, node, where", [
    ("d.results[*]", {"d": {}}, "d.results"),
    ("d.results[*]", {"d": {"results": {"InvoiceID": "A"}}}, "d.results"),
    ("d.results[*].InvoiceID", {"d": {"results": [{"Other": 1}]}}, "d.results[*].InvoiceID"),
    ("[*]", {"d": []}, "@"),
])
def test_a_list_path_over_a_reply_without_the_list_names_where_it_broke(text, node, where):
    with pytest.raises(PathMismatch) as caught:
        Path(text).each(node)
    assert caught.value.where == where


@pytest.mark.parametrize("text", ["", "d..results", "d.results[x]", "d.results[*", "d results", "d.results[]",
                                  "d.{results}", ".d", "d."])
def test_a_path_outside_the_syntax_is_refused(text):
    with pytest.raises(PathSyntaxError):
        Path(text)


@pytest.mark.parametrize("name, value, expected", [
    ("date", "/Date(1793836800000)/", date(2026, 11, 5)),
    ("date", "/Date(1793836800000+0060)/", date(2026, 11, 5)),
    ("date", "/Date(1793833200000-0120)/", date(2026, 11, 4)),
    ("date", "2026-11-05", date(2026, 11, 5)),
    ("date", "20261105", date(2026, 11, 5)),
    ("date", "2026-11-05T00:00:00", date(2026, 11, 5)),
    ("date", "00000000", None),
    ("datetime", "/Date(1793878200000)/", datetime(2026, 11, 5, 11, 30, tzinfo=timezone.utc)),
    ("datetime", "/Date(1793878200000+0060)/", datetime(2026, 11, 5, 12, 30, tzinfo=timezone(timedelta(hours=1)))),
    ("datetime", "2026-11-05T12:30:00+01:00", datetime(2026, 11, 5, 11, 30, tzinfo=timezone.utc)),
    ("datetime", "2026-11-05T11:30:00", datetime(2026, 11, 5, 11, 30, tzinfo=timezone.utc)),
    ("decimal", "34.29", Decimal("34.29")),
    ("decimal", "125.40-", Decimal("-125.40")),
    ("decimal", Decimal("0.1"), Decimal("0.1")),
    ("decimal", 0.1, Decimal("0.1")),
    ("decimal", 17, Decimal("17")),
    ("decimal_comma", "1 234,50", Decimal("1234.50")),
    ("text", 1001, "1001"),
    ("integer", "0042", 42),
    ("boolean", "X", True),
    ("boolean", "", False),
    ("boolean", False, False),
])
def test_a_converter_reads_the_erps_way_of_writing_a_value(name, value, expected):
    converted = CONVERTERS[name](value)
    assert converted == expected
    assert type(converted) is type(expected)


@pytest.mark.parametrize("name, value", [
    ("date", "05.11.2026"), ("date", "/Date(abc)/"), ("date", 20261105), ("datetime", "yesterday"),
    ("decimal", "12,30"), ("decimal", "NaN"), ("decimal", "Infinity"), ("decimal", True), ("decimal", None.__class__),
    ("text", {"a": 1}), ("text", True), ("integer", "1.5"), ("boolean", "maybe"),
])
def test_a_value_a_converter_cannot_read_is_a_convert_error(name, value):
    with pytest.raises(ConvertError):
        CONVERTERS[name](value)


def test_a_date_is_written_as_odata_v2_milliseconds_at_utc_midnight():
    assert odata_date(date(2026, 11, 5)) == "/Date(1793836800000)/"


@pytest.mark.parametrize("invoice_id, url", [
    ("INV-1", "http://erp.test/sap/Invoices('INV-1')?$filter=AccountID%20eq%20'K-1'"),
    ("x') or ('1", "http://erp.test/sap/Invoices('x%27%27%29%20or%20%28%27%271')?$filter=AccountID%20eq%20'K-1'"),
    ("a/b", "http://erp.test/sap/Invoices('a%2Fb')?$filter=AccountID%20eq%20'K-1'"),
])
def test_a_value_is_quoted_whole_in_the_path_and_its_quotes_doubled_for_odata(invoice_id, url):
    request = Request("GET", Template("/Invoices('{invoiceId}')"),
                      (("$filter", Template("AccountID eq '{customerId}'")),), odata=True)
    assert request.url("get_invoice", "http://erp.test/sap", {"customerId": "K-1", "invoiceId": invoice_id}) == url


@pytest.mark.parametrize("invoice_id", ["", ".", ".."])
def test_an_empty_or_dots_only_value_names_no_object(invoice_id):
    with pytest.raises(ErpNotFound):
        Request("GET", Template("/bills/{invoiceId}")).url("get_invoice", "http://erp.test", {"invoiceId": invoice_id})
