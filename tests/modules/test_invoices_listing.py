"""The invoice list's rules on plain records: years, filters, sorting, paging, overdue, file names."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.core.records import InvoiceStatus, InvoiceSummary
from gateway.pages.invoices.listing import (
    InvoiceFilter,
    available_years,
    decimal_places,
    invoice_file_name,
    is_overdue,
    query_args,
    select_invoices,
)
from gateway.web.paging import paginate

TODAY = date(2026, 11, 27)


def invoice(n: int, issued: date, gross: str = "10.00", status: InvoiceStatus = InvoiceStatus.PAID,
            due: date | None = None) -> InvoiceSummary:
    amount = Decimal(gross)
    return InvoiceSummary(
        id=f"INV-{n}", number=f"FV/{n}/2026", ksef_number=None, issued_on=issued, period_from=issued,
        period_to=issued, due_on=due or issued + timedelta(days=14), net=amount, vat=Decimal("0"), gross=amount,
        status=status, premise_id=None,
    )


invoices = st.lists(
    st.builds(
        invoice,
        n=st.integers(min_value=1, max_value=10_000),
        issued=st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31)),
        gross=st.decimals(min_value=0, max_value=10_000, places=2).map(str),
        status=st.sampled_from(InvoiceStatus),
    ),
    max_size=80,
    unique_by=lambda item: item.id,
)
# What each sort the customer can pick means, stated here rather than read from the code under test.
SORTED_BY = {"issue_date": attrgetter("issued_on"), "due_date": attrgetter("due_on"), "gross": attrgetter("gross")}
filters = st.builds(
    InvoiceFilter,
    year=st.none() | st.integers(min_value=2014, max_value=2028),
    status=st.none() | st.sampled_from(InvoiceStatus),
    sort=st.sampled_from(sorted(SORTED_BY)),
    order=st.sampled_from(["asc", "desc"]),
)


@given(invoices, filters)
def test_a_filter_keeps_exactly_the_invoices_that_match(items, wanted):
    chosen = select_invoices(items, wanted)
    expected = {item.id for item in items
                if (wanted.year is None or item.issued_on.year == wanted.year)
                and (wanted.status is None or item.status is wanted.status)}
    assert {item.id for item in chosen} == expected and len(chosen) == len(expected)


@given(invoices, filters)
def test_the_chosen_invoices_are_in_the_order_asked_for(items, wanted):
    keys = [SORTED_BY[wanted.sort](item) for item in select_invoices(items, wanted)]
    assert keys == sorted(keys, reverse=wanted.order == "desc")


# Two share an issue day (5 and 1), two a gross amount (1 and 3), three a due date (1, 4 and 5): ties go by
# issue date, then id, in the direction asked for.
EXAMPLES = [
    invoice(1, date(2026, 3, 5), "50.00", due=date(2026, 3, 19)),
    invoice(2, date(2026, 1, 5), "120.00", InvoiceStatus.UNPAID, due=date(2026, 2, 20)),
    invoice(3, date(2026, 2, 5), "50.00", due=date(2026, 2, 19)),
    invoice(4, date(2025, 12, 5), "9.99", due=date(2026, 3, 19)),
    invoice(5, date(2026, 3, 5), "75.00", InvoiceStatus.PARTLY_PAID, due=date(2026, 3, 19)),
]


@pytest.mark.parametrize("wanted, ids", [
    (InvoiceFilter(), [5, 1, 3, 2, 4]),
    (InvoiceFilter(sort="issue_date", order="asc"), [4, 2, 3, 1, 5]),
    (InvoiceFilter(sort="gross", order="asc"), [4, 3, 1, 5, 2]),
    (InvoiceFilter(sort="gross", order="desc"), [2, 5, 1, 3, 4]),
    (InvoiceFilter(sort="due_date", order="asc"), [3, 2, 4, 1, 5]),
    (InvoiceFilter(sort="due_date", order="desc"), [5, 1, 4, 2, 3]),
    (InvoiceFilter(year=2026), [5, 1, 3, 2]),
    (InvoiceFilter(year=2025), [4]),
    (InvoiceFilter(status=InvoiceStatus.PAID, sort="gross", order="desc"), [1, 3, 4]),
    (InvoiceFilter(year=2026, status=InvoiceStatus.UNPAID), [2]),
    (InvoiceFilter(year=2024), []),
])
def test_examples_of_filters_and_orders(wanted, ids):
    assert [item.id for item in select_invoices(EXAMPLES, wanted)] == [f"INV-{n}" for n in ids]


@given(invoices, st.integers(min_value=1, max_value=30))
def test_paging_covers_every_invoice_exactly_once(items, per_page):
    chosen = select_invoices(items, InvoiceFilter())
    first = paginate(chosen, 1, per_page)
    pages = [paginate(chosen, number, per_page).items for number in range(1, first.pages + 1)]
    seen = [item.id for page in pages for item in page]
    assert seen == [item.id for item in chosen]


@given(invoices)
def test_every_invoice_falls_in_one_of_the_offered_years(items):
    years = available_years(items)
    assert years == sorted(set(years), reverse=True)
    assert {item.issued_on.year for item in items} == set(years)


def test_equal_keys_keep_a_stable_order_between_requests():
    same_day = [invoice(n, date(2026, 1, 5)) for n in (3, 1, 2)]
    assert [i.id for i in select_invoices(same_day, InvoiceFilter())] == ["INV-3", "INV-2", "INV-1"]


@pytest.mark.parametrize("status, due, overdue", [
    (InvoiceStatus.UNPAID, TODAY - timedelta(days=1), True),
    (InvoiceStatus.PARTLY_PAID, TODAY - timedelta(days=1), True),
    (InvoiceStatus.UNPAID, TODAY, False),
    (InvoiceStatus.PAID, TODAY - timedelta(days=30), False),
])
def test_overdue_means_not_fully_paid_after_the_due_date(status, due, overdue):
    assert is_overdue(invoice(1, date(2026, 10, 1), status=status, due=due), TODAY) is overdue


@pytest.mark.parametrize("number, expected", [
    ("FV/00117/11/2026", "Faktura FV-00117-11-2026.pdf"),
    ("FV-2026-10-0001", "Faktura FV-2026-10-0001.pdf"),
    ("FV\\1\\2026", "Faktura FV-1-2026.pdf"),
    ("../../etc/passwd", "Faktura etc-passwd.pdf"),
    ("FV\r\n1", "Faktura FV-1.pdf"),
    ("///", "Faktura faktura.pdf"),
])
def test_a_pdf_is_named_after_its_invoice_number_without_slashes(number, expected):
    assert invoice_file_name("Faktura", number) == expected


def test_the_pager_links_carry_only_what_differs_from_the_defaults():
    assert query_args(InvoiceFilter()) == {}
    assert query_args(InvoiceFilter(2025, InvoiceStatus.PARTLY_PAID, "gross", "asc")) == {
        "year": "2025", "status": "partly_paid", "sort": "gross", "order": "asc"}


@pytest.mark.parametrize("value, places", [("2", 0), ("3.914", 3), ("6.660", 2), ("1E+1", 0)])
def test_quantities_keep_the_decimals_the_erp_gave(value, places):
    assert decimal_places(Decimal(value)) == places
