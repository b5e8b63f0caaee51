"""Reading the UMC entity sets: keys, navigations, $filter, $expand, paging, the PDF bytes and OData errors."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.sap_umc.conftest import JSON, ROOT, get_json

DEMO_FILES = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "files"


def _ids(body: dict, key: str) -> list[str]:
    return [row[key] for row in body["d"]["results"]]


def test_person_account(client):
    account = get_json(client, "Accounts('K-1001')")["d"]
    assert account["__metadata"] == {"id": f"http://localhost{ROOT}Accounts('K-1001')",
                                     "uri": f"http://localhost{ROOT}Accounts('K-1001')",
                                     "type": "ERP_UTILITIES_UMC.Account"}
    assert {k: account[k] for k in ("AccountID", "AccountTypeID", "FirstName", "LastName", "FullName", "Name1")} == {
        "AccountID": "K-1001", "AccountTypeID": "1", "FirstName": "Jan", "LastName": "Kowalski",
        "FullName": "Jan Kowalski", "Name1": ""}
    assert account["Invoices"] == {"__deferred": {"uri": f"http://localhost{ROOT}Accounts('K-1001')/Invoices"}}


def test_organisation_account_with_its_address_email_and_phone(client):
    path = ("Accounts('K-1004')?$expand=StandardAccountAddress,AccountAddressIndependentEmails,"
            "AccountAddressIndependentPhones")
    account = get_json(client, path)["d"]
    assert (account["AccountTypeID"], account["Name1"], account["FirstName"]) == (
        "2", "Piekarnia „Pod Młynem” sp. z o.o.", "")
    assert account["StandardAccountAddress"]["AddressInfo"]["City"] == "Strzelce Opolskie"
    emails = account["AccountAddressIndependentEmails"]["results"]
    assert [e["Email"] for e in emails] == ["biuro@pod-mlynem.example.com"]
    assert [p["PhoneNo"] for p in account["AccountAddressIndependentPhones"]["results"]] == ["+48 77 400 10 04"]


def test_composite_key_addresses_one_account_address(client):
    address = get_json(client, "AccountAddresses(AccountID='K-1001',AddressID='1')")["d"]
    assert address["AddressInfo"] == {"Street": "ul. Klonowa 7", "HouseNo": "", "PostalCode": "47-100",
                                      "City": "Strzelce Opolskie", "CountryID": "PL"}


def test_contracts_with_premises_through_the_contract_account(client):
    body = get_json(client, "Accounts('K-1001')/ContractAccounts?$expand=Contracts/Premise")
    [contract_account] = body["d"]["results"]
    assert contract_account["ContractAccountID"] == "CA-1001"
    contracts = {c["ContractID"]: c for c in contract_account["Contracts"]["results"]}
    assert sorted(contracts) == ["U-1001-0", "U-1001-1", "U-1001-2"]
    ended, current, garden = contracts["U-1001-0"], contracts["U-1001-1"], contracts["U-1001-2"]
    assert (ended["ProcessingStatus"], ended["MoveOutDate"]) == ("2", "/Date(1435622400000)/")
    assert (current["Description"], current["MoveInDate"], current["MoveOutDate"]) == (
        "UM/2015/00412", "/Date(1435708800000)/", None)
    assert (garden["Premise"]["PremiseID"], garden["Premise"]["PremiseTypeID"]) == ("P-1001-2", "04")
    assert "__deferred" in garden["Devices"]


def test_devices_belong_to_the_contract_in_force_at_their_premise(client):
    body = get_json(client, "Devices?$filter=ContractID eq 'U-1001-1'")
    assert [(d["DeviceID"], d["SerialNumber"]) for d in body["d"]["results"]] == [("W-1001-2", "JS25-1187342")]
    assert _ids(get_json(client, "Contracts('U-1001-2')/Devices"), "DeviceID") == ["W-1001-3"]


def test_a_removed_meter_is_under_no_contract_but_answers_by_key(client):
    removed = get_json(client, "Devices('W-1001-1')?$expand=Contract")["d"]
    assert (removed["SerialNumber"], removed["ContractID"], removed["Contract"]) == ("SW19-0042187", None, None)
    readings = get_json(client, "Devices('W-1001-1')/MeterReadingResults")["d"]["results"]
    assert readings[-1]["MeterReadingResultID"] == "W-1001-1-20250314"


def test_readings_of_a_device_oldest_first_with_codes_and_decimals(client):
    readings = get_json(client, "MeterReadingResults?$filter=DeviceID eq 'W-1001-3'")["d"]["results"]
    assert len(readings) == 44
    assert {k: readings[0][k] for k in ("MeterReadingResultID", "ReadingResult", "ReadingDateTime", "Consumption",
                                        "MeterReadingCategoryID", "MeterReadingStatusID")} == {
        "MeterReadingResultID": "W-1001-3-20230430", "ReadingResult": "326.540",
        "ReadingDateTime": "/Date(1682812800000)/", "Consumption": None, "MeterReadingCategoryID": "01",
        "MeterReadingStatusID": "1"}
    rejected = readings[-1]
    assert (rejected["ReadingResult"], rejected["MeterReadingCategoryID"], rejected["MeterReadingStatusID"]) == (
        "336.482", "02", "3")


def test_filter_by_date_and_by_two_properties(client):
    recent = get_json(client, "Devices('W-1001-3')/MeterReadingResults?"
                              "$filter=ReadingDateTime ge datetime'2026-10-01T00:00:00'")
    assert _ids(recent, "MeterReadingResultID") == ["W-1001-3-20261025", "W-1001-3-20261120"]
    open_ones = get_json(client, "Invoices?$filter=AccountID eq 'K-1001' and InvoiceStatusID eq '2'")
    assert _ids(open_ones, "InvoiceID") == ["INV-202611-00117"]


def test_invoice_amounts_are_decimal_strings_and_dates_are_ms(client):
    invoice = get_json(client, "Invoices('INV-202611-00117')")["d"]
    assert {k: invoice[k] for k in ("AccountID", "ContractAccountID", "InvoiceDescription", "InvoiceDate", "DueDate",
                                    "AmountDue", "AmountPaid", "AmountRemaining", "Currency", "InvoiceStatusID")} == {
        "AccountID": "K-1001", "ContractAccountID": "CA-1001", "InvoiceDescription": "FV/00117/11/2026",
        "InvoiceDate": "/Date(1793836800000)/", "DueDate": "/Date(1795046400000)/", "AmountDue": "34.29",
        "AmountPaid": "17.15", "AmountRemaining": "17.14", "Currency": "PLN", "InvoiceStatusID": "2"}


def test_invoices_come_in_pages_of_25_with_next_links(client):
    first = get_json(client, "Invoices?$filter=AccountID eq 'K-1001'&$inlinecount=allpages")["d"]
    assert (len(first["results"]), first["__count"], first["results"][0]["InvoiceID"]) == (25, "63", "INV-202611-00117")
    assert first["__next"] == (f"http://localhost{ROOT}Invoices?$filter=AccountID%20eq%20%27K-1001%27"
                               "&$inlinecount=allpages&$skiptoken=25")
    seen = _ids({"d": first}, "InvoiceID")
    link = first["__next"]
    while link:
        page = client.get(urlsplit(link).path + "?" + urlsplit(link).query, headers=JSON).get_json()["d"]
        seen += _ids({"d": page}, "InvoiceID")
        link = page.get("__next")
    assert len(seen) == len(set(seen)) == 63


def test_top_and_skip_page_without_next_link(client):
    body = get_json(client, "Accounts('K-1001')/Invoices?$skip=60&$top=5")["d"]
    assert len(body["results"]) == 3 and "__next" not in body


def test_payment_documents_with_slashes_in_their_keys(client):
    body = get_json(client, "PaymentDocuments?$filter=AccountID eq 'K-1001'&$top=1&$expand=PaymentDocumentItems")
    [payment] = body["d"]["results"]
    assert (payment["PaymentDocumentID"], payment["Amount"], payment["ExecutionDate"]) == (
        "WB/2026/1001/016", "17.15", "/Date(1794614400000)/")
    assert [i["InvoiceID"] for i in payment["PaymentDocumentItems"]["results"]] == ["INV-202611-00117"]
    assert get_json(client, "PaymentDocuments('WB/2026/1001/016')")["d"]["AccountID"] == "K-1001"


def test_invoice_pdf_bytes_by_value(client):
    reply = client.get(ROOT + "Accounts('K-1001')/Invoices('INV-202611-00117')/InvoicePDF/$value",
                       headers={"Authorization": JSON["Authorization"]})
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    assert reply.headers["Content-Disposition"] == 'inline; filename="FV-00117-11-2026.pdf"'
    assert reply.data == (DEMO_FILES / "invoices" / "FV-00117-11-2026.pdf").read_bytes()
    media = get_json(client, "InvoicePDFs('INV-202611-00117')")["d"]["__metadata"]
    assert media["media_src"] == f"http://localhost{ROOT}InvoicePDFs('INV-202611-00117')/$value"


@pytest.mark.parametrize("path", [
    "Accounts('K-1001')/Invoices('INV-202611-00132')",  # K-1002's invoice
    "Accounts('K-1001')/Invoices('INV-202611-00132')/InvoicePDF/$value",
    "Invoices('INV-0000')",
    "Premises('P-1002-1')/Nowhere",
    "Messages",
])
def test_unknown_or_other_accounts_objects_are_404(client, path):
    error = get_json(client, path, status=404)["error"]
    assert error["code"] == "/IWBEP/CM_MGW_RT/020" and error["message"]["value"].startswith("Resource not found")


@pytest.mark.parametrize("query", [
    "$filter=AccountID eq 'K-1001' or AccountID eq 'K-1002'",
    "$filter=Nothing eq 'x'",
    "$filter=AmountDue eq '5'",
    "$filter=AccountID eq",
    "$expand=Lines",
    "$top=many",
])
def test_malformed_query_options_are_400(client, query):
    error = get_json(client, f"Invoices?{query}", status=400)["error"]
    assert error["code"] == "/IWBEP/CM_MGW_RT/022"


def test_json_must_be_asked_for(client):
    reply = client.get(ROOT + "Invoices('INV-202611-00117')", headers={"Authorization": JSON["Authorization"]})
    assert reply.status_code == 406 and reply.mimetype == "application/xml"
    asked = client.get(ROOT + "Invoices('INV-202611-00117')?$format=json",
                       headers={"Authorization": JSON["Authorization"]})
    assert asked.status_code == 200 and asked.get_json()["d"]["InvoiceID"] == "INV-202611-00117"


@pytest.mark.parametrize("path", ["Invoices('INV-202611-00117')/$value", "Accounts/Invoices",
                                  "Invoices('INV-202611-00117", "AccountAddresses('K-1001')"])
def test_malformed_paths_are_400(client, path):
    assert get_json(client, path, status=400)["error"]["code"] == "/IWBEP/CM_MGW_RT/022"
