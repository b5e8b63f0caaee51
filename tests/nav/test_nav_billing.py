"""The Dynamics NAV plugin over the NAV simulator: the demo's customers as NAV pages hold them, read page after page,
each customer kept to its own, and NAV's faults and refusals as the kit's typed errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import requests
import responses

from adapters.core.operations import REQUIRED
from adapters.examples.nav.billing import NavBilling
from adapters.kit import (
    ContractStatus,
    ErpBadResponse,
    ErpNotFound,
    ErpNotOffered,
    ErpUnavailable,
    InvoiceStatus,
    PremiseKind,
    SettlementKind,
)
from tests.nav.simulator import COMPANY_PATH, nav_port, nav_settings


def _calls(base_url: str) -> dict[str, int]:
    return requests.get(f"{base_url}/_nav/calls", timeout=5).json()


def test_it_offers_what_nav_pages_hold_and_nothing_else():
    port = NavBilling(nav_settings("http://127.0.0.1:9"))
    assert port.offered_operations == REQUIRED
    with pytest.raises(ErpNotOffered):
        port.get_invoice_pdf("K-1001", "10000")


def test_the_customer_is_the_payers_card_and_its_premises_the_contracts_points_of_supply(nav_erp):
    customer = nav_port(nav_erp).get_customer("K-1001")
    assert (customer.id, customer.name, str(customer.address)) == (
        "K-1001", "Jan Kowalski", "ul. Klonowa 7, 47-100 Strzelce Opolskie")
    assert (customer.email, customer.phone) == ("jan.kowalski@example.com", "+48 600 100 101")
    assert (customer.tax_id, customer.payment_account) == (None, None)  # NAV keeps no PESEL and no NRB
    assert [(premise.id, premise.kind, premise.address.street) for premise in customer.premises] == [
        ("P-1001-1", PremiseKind.HOUSE, "ul. Klonowa 7"),
        ("P-1001-2", PremiseKind.GARDEN, "ROD „Pod Lipami”, działka nr 27"),
    ]


def test_contracts_are_the_cards_billed_to_the_payer(nav_erp):
    contracts = nav_port(nav_erp).list_contracts("K-1001")
    assert [(c.id, c.number, c.premise_id, c.status, c.tariff_group, c.einvoice_consent) for c in contracts] == [
        ("U-1001-0", "UM/2003/00218", "P-1001-1", ContractStatus.TERMINATED, "G1", False),
        ("U-1001-1", "UM/2015/00412", "P-1001-1", ContractStatus.ACTIVE, "G1", False),
        ("U-1001-2", "UM/2019/01127", "P-1001-2", ContractStatus.ACTIVE, "G3", False),
    ]


def test_invoices_are_read_page_after_page_from_the_bookmark(nav_erp):
    invoices = nav_port(nav_erp, page_size=4).list_invoices("K-1003")
    # 15 journal lines of K-1003 in pages of 4: three full pages and a last one of three
    assert _calls(nav_erp) == {"Customer.Read": 1, "Journal.ReadMultiple": 4}
    assert len(invoices) == 8 and len({invoice.id for invoice in invoices}) == 8
    assert invoices[-1].number == "FV/00183/04/2026"
    first = invoices[0]
    assert (first.number, first.issued_on, first.due_on, first.gross, first.status) == (
        "FV/00161/11/2026", date(2026, 11, 16), date(2026, 11, 30), Decimal("120.23"), InvoiceStatus.UNPAID)
    assert [invoice.issued_on for invoice in invoices] == sorted((i.issued_on for i in invoices), reverse=True)


def test_payments_are_applied_to_the_oldest_invoices_first(nav_erp):
    statuses = [(invoice.number, invoice.status) for invoice in nav_port(nav_erp).list_invoices("K-1001")]
    assert statuses[:2] == [("FV/00117/11/2026", InvoiceStatus.UNPAID), ("FV/00116/11/2026", InvoiceStatus.PARTLY_PAID)]
    assert {status for _, status in statuses[2:]} == {InvoiceStatus.PAID}


def test_an_invoice_is_read_with_its_journal_line(nav_erp):
    port = nav_port(nav_erp)
    listed = port.list_invoices("K-1006")[0]
    invoice = port.get_invoice("K-1006", listed.id)
    assert (invoice.number, invoice.gross, invoice.status) == (listed.number, listed.gross, listed.status)
    assert [(line.description, line.gross) for line in invoice.lines] == [("Woda i ścieki", listed.gross)]


def test_another_customers_invoice_and_an_unknown_customer_are_not_found(nav_erp):
    port = nav_port(nav_erp)
    own = port.list_invoices("K-1003")[0].id
    with pytest.raises(ErpNotFound):
        port.get_invoice("K-1006", own)
    for call in (port.get_customer, port.list_contracts, port.list_invoices, port.get_settlements):
        with pytest.raises(ErpNotFound):
            call("K-0000")
    with pytest.raises(ErpNotFound):  # a contract's own card is no customer of the portal
        port.get_customer("U-1001-1")


def test_settlements_hold_every_ledger_line_and_nav_balance(nav_erp):
    settlements = nav_port(nav_erp).get_settlements("K-1004")
    assert settlements.balance == Decimal("-250.00")
    assert len(settlements.entries) == 84
    overpayment = next(e for e in settlements.entries if e.document_number == "NP/2026/1004/001")
    assert (overpayment.kind, overpayment.amount, overpayment.issued_on) == (
        SettlementKind.PAYMENT, Decimal("250.00"), date(2026, 11, 7))
    assert all(entry.settled + entry.remaining == entry.amount for entry in settlements.entries)


@pytest.mark.parametrize("fault", ["lock", "permission", "unavailable"])
def test_a_locked_table_a_missing_permission_or_a_stopped_service_is_unavailable(nav_erp, fault):
    requests.post(f"{nav_erp}/_nav/fault", json={"fault": fault}, timeout=5).raise_for_status()
    with pytest.raises(ErpUnavailable):
        nav_port(nav_erp).get_customer("K-1001")


def test_a_request_nav_cannot_read_is_a_bad_response(nav_erp):
    port = nav_port(nav_erp)
    with pytest.raises(ErpBadResponse):  # "Nope" is no field of the journal page: NAV's schema refuses it
        port.journal.call("list_invoices", "ReadMultiple", filter=[{"Field": "Nope", "Criteria": "K-1001"}],
                          setSize=1)


def test_a_wrong_password_is_refused_as_unavailable_without_a_fault(nav_erp):
    with pytest.raises(ErpUnavailable):
        NavBilling(nav_settings(nav_erp, password="not-the-password")).get_customer("K-1001")
    assert _calls(nav_erp) == {}


SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def _reply(page: str, result: str, inner: str) -> str:
    namespace = f"urn:microsoft-dynamics-schemas/page/{page.lower()}"
    body = f'<{result} xmlns="{namespace}">{inner}</{result}>'
    return f'<s:Envelope xmlns:s="{SOAP}"><s:Body>{body}</s:Body></s:Envelope>'


def test_a_journal_line_nav_sent_without_its_amount_is_a_bad_response_naming_it():
    url = "http://nav.test"
    card = _reply("Customer", "Read_Result", "<Customer><Key>k</Key><No>K-1</No><Name>Ewa Test</Name></Customer>")
    line = ("<ReadMultiple_Result><Journal><Key>j</Key><Line_No>10000</Line_No><Posting_Date>2026-11-05</Posting_Date>"
            "<Document_Type>Invoice</Document_Type><Document_No>FV/1/11/2026</Document_No></Journal>"
            "</ReadMultiple_Result>")
    with responses.RequestsMock() as mock:
        mock.add("POST", f"{url}{COMPANY_PATH}/Page/Customer", body=card, content_type="text/xml")
        mock.add("POST", f"{url}{COMPANY_PATH}/Page/Journal", body=_reply("Journal", "ReadMultiple_Result", line),
                 content_type="text/xml")
        with pytest.raises(ErpBadResponse) as raised:
            nav_port(url).get_settlements("K-1")
    assert raised.value.field == "Amount"
