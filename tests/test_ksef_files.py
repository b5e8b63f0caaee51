"""The simulator's FA(3) files: every invoice it holds in KSeF has one, valid against the Ministry's schema
(validated offline), and the bakery's hashes name exactly the bytes served."""

from __future__ import annotations

import pytest

from adapters.core.errors import ErpNotFound
from adapters.core.ksef import file_hash
from fixtures.simulator.store import DemoStore
from tests.fa3_schema import LocalBaseSchemas, fa3_errors, fa3_schema


@pytest.fixture(scope="module")
def store():
    return DemoStore.load()


def _in_ksef(store, customer_id):
    invoices = store.list_invoices(customer_id)["invoices"]
    return [invoice for invoice in invoices if invoice["ksefNumber"] or invoice.get("ksefOffline")]


@pytest.mark.parametrize(("customer_id", "count"), [("K-1004", 10), ("K-1005", 100)])
def test_every_invoice_in_ksef_has_a_valid_fa3_file(store, customer_id, count):
    invoices = _in_ksef(store, customer_id)
    assert len(invoices) == count
    for invoice in invoices:
        file = store.get_invoice_xml(customer_id, invoice["invoiceId"])
        assert file["contentType"] == "application/xml"
        assert fa3_errors(file["content"]) == [], invoice["invoiceNumber"]


def test_the_bakerys_hashes_are_of_the_files_served(store):
    for invoice in _in_ksef(store, "K-1004"):
        assert file_hash(store.get_invoice_xml("K-1004", invoice["invoiceId"])["content"]) == invoice["ksefHash"]


@pytest.mark.parametrize("customer_id", ["K-1001", "K-1002", "K-1003"])
def test_consumers_have_no_invoice_in_ksef(store, customer_id):
    invoice = store.list_invoices(customer_id)["invoices"][0]
    assert _in_ksef(store, customer_id) == []
    with pytest.raises(ErpNotFound):
        store.get_invoice_xml(customer_id, invoice["invoiceId"])


def test_a_file_missing_a_required_field_is_refused_by_the_schema(store):
    content = store.get_invoice_xml("K-1004", "INV-202610-00182")["content"]
    broken = content.replace(b"<P_2>FV/00182/10/2026</P_2>", b"")
    assert any("P_2" in error for error in fa3_errors(broken))


def test_the_schema_compiles_from_local_files_only():
    assert fa3_schema() is not None
    assert LocalBaseSchemas().resolve("http://example.com/other.xsd", None, None) is None
