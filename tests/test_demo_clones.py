"""Synthetic customers for load tests: clones of K-1002 under their own ids, kept apart like real customers."""

from __future__ import annotations

import pytest

from adapters.core.errors import ErpNotFound
from fixtures.demo.clones import FIRST_NUMBER, TEMPLATE, clone_customer, clones
from fixtures.simulator.dataset import load_dataset
from fixtures.simulator.store import DemoStore


@pytest.fixture(scope="module")
def store():
    return DemoStore.load(synthetic=3)


def test_no_clones_unless_asked_for():
    assert not any(customer_id.startswith("K-2") for customer_id in DemoStore.load().customer_ids())


def test_clones_follow_the_demo_customers(store):
    assert store.customer_ids()[-3:] == ["K-2001", "K-2002", "K-2003"]
    assert store.get_customer("K-2002")["fullName"] == "Klient syntetyczny 2002"


def test_a_clone_has_the_template_customers_data_under_its_own_ids(store):
    template, clone = store.list_invoices(TEMPLATE)["invoices"], store.list_invoices("K-2001")["invoices"]
    assert [i["grossAmount"] for i in clone] == [i["grossAmount"] for i in template]
    assert [i["invoiceId"] for i in clone] == [f"{i['invoiceId']}-S2001" for i in template]
    meter = store.list_meters("K-2001")["meters"][0]
    assert meter["meterId"] == "W-1002-1-S2001" and meter["premiseId"] == "P-1002-1-S2001"
    assert len(store.list_readings("K-2001", meter["meterId"])["readings"]) == len(
        store.list_readings(TEMPLATE, "W-1002-1")["readings"])


def test_files_of_a_clone_are_served(store):
    contract = store.list_contracts("K-2003")["contracts"][0]
    assert store.get_contract_scan("K-2003", contract["contractId"])["content"].startswith(b"%PDF")
    invoice = store.list_invoices("K-2003")["invoices"][0]
    assert store.get_invoice_pdf("K-2003", invoice["invoiceId"])["content"].startswith(b"%PDF")


def test_one_clone_cannot_read_another_clones_objects(store):
    meter = store.list_meters("K-2001")["meters"][0]["meterId"]
    with pytest.raises(ErpNotFound):
        store.list_readings("K-2002", meter)
    with pytest.raises(ErpNotFound):
        store.list_readings(TEMPLATE, meter)


def test_settlements_point_at_the_clones_own_invoices(store):
    own = {invoice["invoiceId"] for invoice in store.list_invoices("K-2002")["invoices"]}
    referenced = {e["invoiceId"] for e in store.get_settlements("K-2002")["entries"] if e["invoiceId"]}
    assert referenced and referenced <= own


def test_the_template_is_left_unchanged():
    dataset = load_dataset()
    before = repr(dataset.customers[TEMPLATE])
    clone_customer(dataset.customers[TEMPLATE], dataset.files, FIRST_NUMBER)
    made, files = clones(dataset.customers, dataset.files, 2)
    assert repr(dataset.customers[TEMPLATE]) == before
    assert set(made) == {"K-2001", "K-2002"} and all(key.endswith(("-S2001", "-S2002")) for key in files)
