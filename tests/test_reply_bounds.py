"""The bounds every ERP reply is held to, tried at their edges: the largest amount, the most decimal places, the
first and last date and moment, the longest list, NaN and infinities, a file size given as text. A bound
widened or dropped lets through the first value past it, and these tests fail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from adapters.core.errors import ErpBadResponse
from adapters.wire.schemas import REPLIES
from tests.rest_bodies import DOCUMENT, INVOICE_SUMMARY, MESSAGE


def invoice(**fields):
    return REPLIES["list_invoices"].load("list_invoices", {"invoices": [{**INVOICE_SUMMARY, **fields}]})[0]


def refused(operation: str, payload, field: str) -> None:
    with pytest.raises(ErpBadResponse) as caught:
        REPLIES[operation].load(operation, payload)
    assert caught.value.field is not None and field in caught.value.field


@pytest.mark.parametrize("amount", ["999999999999.99", "-999999999999.99", "0." + "0" * 49 + "1", "1.5" + "0" * 80])
def test_amounts_up_to_the_bounds_are_kept_exactly(amount):
    assert invoice(grossAmount=amount).gross == Decimal(amount)


@pytest.mark.parametrize("amount", ["1000000000000", "-1000000000000", "1e12", "0." + "0" * 50 + "1", "NaN", "nan",
                                    "sNaN", "Infinity", "-Infinity", Decimal("NaN"), Decimal("Infinity")])
def test_amounts_past_the_bounds_nan_and_infinities_are_refused(amount):
    refused("list_invoices", {"invoices": [{**INVOICE_SUMMARY, "grossAmount": amount}]}, "grossAmount")


@pytest.mark.parametrize("day", ["1900-01-01", "2199-12-31"])
def test_dates_at_the_bounds_are_kept(day):
    assert invoice(dueDate=day).due_on == date.fromisoformat(day)


@pytest.mark.parametrize("day", ["1899-12-31", "2200-01-01", "9999-12-31", "0001-01-01"])
def test_dates_past_the_bounds_are_refused(day):
    refused("list_invoices", {"invoices": [{**INVOICE_SUMMARY, "dueDate": day}]}, "dueDate")


@pytest.mark.parametrize("moment", ["1900-01-02T00:00:00+00:00", "2199-12-30T00:00:00+00:00"])
def test_moments_at_the_bounds_are_kept(moment):
    assert REPLIES["list_messages"].load("list_messages", {"messages": [{**MESSAGE, "sentAt": moment}]})


@pytest.mark.parametrize("moment", ["1900-01-01T23:59:59+00:00", "2199-12-30T00:00:01+00:00", "9999-12-31T23:59:59Z"])
def test_moments_past_the_bounds_are_refused(moment):
    refused("list_messages", {"messages": [{**MESSAGE, "sentAt": moment}]}, "sentAt")


@pytest.mark.parametrize("size", [0, 2**53])
def test_file_sizes_up_to_the_bound_are_kept(size):
    assert REPLIES["list_documents"].load("list_documents", {"documents": [{**DOCUMENT, "sizeBytes": size}]})


@pytest.mark.parametrize("size", ["2048", "1e3", 2048.5, 2**53 + 1, -1, int("9" * 4000)])
def test_a_file_size_as_text_a_fraction_or_past_the_bound_is_refused(size):
    refused("list_documents", {"documents": [{**DOCUMENT, "sizeBytes": size}]}, "sizeBytes")


def test_a_list_of_100_001_items_is_refused_before_any_is_read():
    """Each item is valid: only the count can refuse them (loading them all would take seconds)."""
    refused("list_documents", {"documents": [DOCUMENT] * 100_001}, "documents")


def test_equal_amounts_and_days_are_one_object_each_but_keep_how_they_are_written():
    """Cached answers repeat the same fees and days: one object each saves memory (bench figure 7), and an amount
    written with another number of places stays as written (1.10 is shown as 1,10, not 1,1)."""
    first, again = invoice(grossAmount="108.11", dueDate="2026-12-19"), invoice(grossAmount="108.11",
                                                                                dueDate="2026-12-19")
    assert first.gross is again.gross and first.due_on is again.due_on
    assert str(invoice(grossAmount="1.10").gross) == "1.10" and str(invoice(grossAmount="1.1").gross) == "1.1"
