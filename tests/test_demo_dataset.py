"""The committed demo dataset: valid wire format, sums exact to the grosz, a story that holds together."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.core import ksef
from adapters.wire import schemas as s
from fixtures.demo import identifiers
from fixtures.demo.generate import build_dataset
from fixtures.simulator.dataset import DEFAULT_PATH, load_dataset

DEMO = DEFAULT_PATH.parent
AS_OF = date(2026, 11, 27)
CHARGE_SIGN = {"invoice": 1, "correction": 1, "interest_note": 1, "payment": -1, "prepayment": -1, "overpayment": -1}


@pytest.fixture(scope="module")
def dataset():
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def customers(dataset):
    return dataset["customers"].values()


def test_every_record_loads_through_the_erp_schemas(dataset):
    s.load_list("list_documents", s.DOCUMENT_INFO, {"d": dataset["publicDocuments"]}, "d")
    for entry in customers(dataset):
        s.load_one("get_customer", s.CUSTOMER, entry["customer"])
        s.load_list("list_contracts", s.CONTRACT, {"contracts": entry["contracts"]}, "contracts")
        s.load_list("list_meters", s.METER, {"meters": entry["meters"]}, "meters")
        for readings in entry["readings"].values():
            s.load_list("list_readings", s.READING, {"readings": readings}, "readings")
        s.load_list("list_invoices", s.INVOICE, {"invoices": entry["invoices"]}, "invoices")
        s.load_one("get_settlements", s.SETTLEMENTS, entry["settlements"])
        s.load_list("list_documents", s.DOCUMENT_INFO, {"documents": entry["documents"]}, "documents")
        s.load_list("list_messages", s.MESSAGE, {"messages": entry["messages"]}, "messages")


def test_the_cast_is_as_the_demo_needs_it(dataset):
    found = {cid: entry["customer"] for cid, entry in dataset["customers"].items()}
    assert sorted(found) == ["K-1001", "K-1002", "K-1003", "K-1004", "K-1007", "K-1008", "K-1009"]
    assert [p["kind"] for p in found["K-1001"]["premises"]] == ["house", "garden"]
    assert found["K-1004"]["taxIdType"] == "NIP"
    assert any(c["status"] == "terminated" for e in customers(dataset) for c in e["contracts"])


def test_tax_ids_pass_their_checksums(dataset):
    for entry in customers(dataset):
        customer = entry["customer"]
        valid = identifiers.nip_is_valid if customer["taxIdType"] == "NIP" else identifiers.pesel_is_valid
        assert valid(customer["taxId"]), customer["customerId"]


@pytest.mark.parametrize("customer_id", ["K-1001", "K-1002"])
def test_long_standing_customers_have_over_forty_invoices(dataset, customer_id):
    assert len(dataset["customers"][customer_id]["invoices"]) >= 40


def test_invoice_amounts_add_up_exactly(dataset):
    for entry in customers(dataset):
        for invoice in entry["invoices"]:
            lines = invoice["lines"]
            for line in lines:
                assert Decimal(line["netAmount"]) + Decimal(line["vatAmount"]) == Decimal(line["grossAmount"])
                assert Decimal(line["vatAmount"]) == (Decimal(line["netAmount"]) * Decimal("0.08")).quantize(
                    Decimal("0.01"), rounding="ROUND_HALF_UP")
            for field in ("netAmount", "vatAmount", "grossAmount"):
                assert sum(Decimal(line[field]) for line in lines) == Decimal(invoice[field]), invoice["invoiceId"]
            assert Decimal(invoice["netAmount"]) + Decimal(invoice["vatAmount"]) == Decimal(invoice["grossAmount"])


def test_money_has_two_decimals_and_meter_values_three(dataset):
    for entry in customers(dataset):
        for invoice in entry["invoices"]:
            assert all(len(invoice[f].split(".")[1]) == 2 for f in ("netAmount", "vatAmount", "grossAmount"))
        for readings in entry["readings"].values():
            assert all(len(r["value"].split(".")[1]) == 3 for r in readings)


def test_only_business_customers_invoices_from_february_2026_are_in_ksef(dataset):
    """The bakery and the manager's housing communities have a NIP: their invoices are in KSeF, consumers' not."""
    in_ksef = {cid: [i["invoiceNumber"] for i in entry["invoices"] if i["ksefNumber"] or i.get("ksefOffline")]
               for cid, entry in dataset["customers"].items()}
    counts = {cid: len(numbers) for cid, numbers in in_ksef.items()}
    assert counts == {"K-1001": 0, "K-1002": 0, "K-1003": 0, "K-1004": 10, "K-1007": 10, "K-1008": 10, "K-1009": 10}
    assert in_ksef["K-1004"][-1] == "FV/00135/02/2026"


def test_the_bakerys_newest_invoice_was_issued_offline_and_has_no_number_yet(dataset):
    newest, *older = dataset["customers"]["K-1004"]["invoices"]
    assert (newest["invoiceNumber"], newest["ksefNumber"], newest["ksefOffline"]) == ("FV/00153/11/2026", None, True)
    assert older[0]["ksefNumber"] == "7561000001-20261005-06359AE5CBA9-B2" and older[0]["ksefOffline"] is False
    assert all(ksef.is_valid_number(i["ksefNumber"]) for i in older if i["ksefNumber"])


def test_settlement_entries_add_up_and_make_the_balance(dataset):
    for entry in customers(dataset):
        settlements = entry["settlements"]
        balance = Decimal("0")
        for item in settlements["entries"]:
            amount, settled, remaining = (Decimal(item[k]) for k in ("amount", "settledAmount", "remainingAmount"))
            assert settled + remaining == amount
            balance += CHARGE_SIGN[item["entryType"]] * remaining
        assert balance == Decimal(settlements["balance"])


def test_every_kind_of_settlement_entry_occurs(dataset):
    kinds = {item["entryType"] for entry in customers(dataset) for item in entry["settlements"]["entries"]}
    assert kinds == set(CHARGE_SIGN)


def test_invoice_status_agrees_with_its_settlement(dataset):
    for entry in customers(dataset):
        ledger = {e["invoiceId"]: e for e in entry["settlements"]["entries"] if e["entryType"] == "invoice"}
        for invoice in entry["invoices"]:
            item = ledger[invoice["invoiceId"]]
            expected = "paid" if Decimal(item["remainingAmount"]) == 0 else (
                "unpaid" if Decimal(item["settledAmount"]) == 0 else "partly_paid")
            assert invoice["status"] == expected
            assert item["amount"] == invoice["grossAmount"]


def test_some_items_are_overdue_on_the_demo_day(dataset):
    overdue = [
        item for entry in customers(dataset) for item in entry["settlements"]["entries"]
        if item["dueDate"] and item["dueDate"] < AS_OF.isoformat() and Decimal(item["remainingAmount"]) > 0
    ]
    assert {item["entryType"] for item in overdue} >= {"invoice", "interest_note"}


def test_a_removed_meter_and_its_replacement_exist(dataset):
    meters = {m["meterId"]: m for entry in customers(dataset) for m in entry["meters"]}
    replacements = [m for m in meters.values() if m["replacesMeterId"]]
    assert replacements
    for meter in replacements:
        old = meters[meter["replacesMeterId"]]
        assert old["status"] == "removed" and old["removedOn"] == meter["installedOn"]
    assert len(meters) >= 6
    assert any(m["premiseId"] == "P-1001-2" for m in meters.values()), "the garden meter"


def test_active_meters_have_three_years_of_monthly_readings(dataset):
    for cid, entry in dataset["customers"].items():
        if cid == "K-1003":
            continue  # a new customer: readings only since he moved in
        meters = {m["meterId"]: m for m in entry["meters"]}
        for meter in (m for m in meters.values() if m["status"] == "active"):
            chain = entry["readings"][meter["meterId"]]
            if meter["replacesMeterId"]:
                chain = entry["readings"][meter["replacesMeterId"]] + chain
            months = {r["readingDate"][:7] for r in chain if r["status"] == "accepted"}
            assert min(months) <= "2023-10" and max(months) == "2026-10", meter["meterId"]
            assert len(months) >= 36


def test_consumption_is_the_difference_from_the_previous_reading(dataset):
    for entry in customers(dataset):
        for readings in entry["readings"].values():
            previous = None
            for reading in readings:
                if reading["status"] == "rejected":
                    assert reading["consumption"] is None
                    continue
                if previous is None:
                    assert reading["consumption"] is None
                else:
                    assert Decimal(reading["consumption"]) == Decimal(reading["value"]) - previous
                previous = Decimal(reading["value"])


def test_household_use_is_plausible(dataset):
    for cid in ("K-1001", "K-1002", "K-1003"):
        house = next(iter(dataset["customers"][cid]["readings"].values()))
        used = [Decimal(r["consumption"]) for r in house if r["consumption"] and r["status"] == "accepted"]
        assert all(Decimal("2") <= u <= Decimal("15") for u in used), cid


def _file(dataset, key: str) -> Path:
    return DEMO / "files" / dataset["files"][key]


def test_every_invoice_scan_and_document_has_a_real_pdf(dataset):
    keys = [f"document:{d['documentId']}" for d in dataset["publicDocuments"]]
    for entry in customers(dataset):
        keys += [f"invoice:{i['invoiceId']}" for i in entry["invoices"]]
        keys += [f"contract:{c['contractId']}" for c in entry["contracts"] if c["hasScan"]]
        keys += [f"document:{d['documentId']}" for d in entry["documents"]]
    for key in keys:
        content = _file(dataset, key).read_bytes()
        assert content.startswith(b"%PDF-") and 2_000 < len(content) < 20_000, key


def test_document_sizes_match_their_files(dataset):
    documents = dataset["publicDocuments"] + [d for e in customers(dataset) for d in e["documents"]]
    for doc in documents:
        assert doc["sizeBytes"] == _file(dataset, f"document:{doc['documentId']}").stat().st_size


def test_pdfs_carry_a_font_that_can_show_polish(dataset):
    invoice = next(iter(dataset["customers"]["K-1004"]["invoices"]))
    assert b"DejaVuSans" in _file(dataset, f"invoice:{invoice['invoiceId']}").read_bytes()


def test_the_json_stays_small_and_the_load_test_customer_is_built_at_load_time():
    assert DEFAULT_PATH.stat().st_size < 2_000_000
    bulk = load_dataset(DEFAULT_PATH).customers["K-1005"]
    assert len(bulk["invoices"]) == 1000
    months = {r["readingDate"][:7] for readings in bulk["readings"].values() for r in readings}
    assert len(months) >= 120


def test_the_committed_json_is_what_the_generator_builds(dataset):
    built, _ = build_dataset()
    for doc in built["publicDocuments"] + [d for e in built["customers"].values() for d in e["documents"]]:
        doc["sizeBytes"] = None
    committed = json.loads(json.dumps(dataset))
    for doc in committed["publicDocuments"] + [d for e in committed["customers"].values() for d in e["documents"]]:
        doc["sizeBytes"] = None
    assert json.loads(json.dumps(built)) == committed, "dataset.json is stale: run python -m fixtures.demo.generate"
