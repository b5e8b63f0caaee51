"""K-1006, whose ERP record leaves out every optional field, read through the fake and both adapters against the
live simulator: each absent field arrives as None, whichever protocol carried it (the recordings hold no
K-1006, so the replay kinds are left out)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from adapters.core.records import (
    Address,
    Contract,
    ContractStatus,
    Customer,
    DocumentCategory,
    DocumentInfo,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Meter,
    MeterStatus,
    Premise,
    Reply,
)

CUSTOMER = "K-1006"
ADDRESS = Address("ul. Krótka 2", "47-100", "Strzelce Opolskie")
SUMMER = timezone(timedelta(hours=2))


@pytest.fixture(params=["fake", "soap-live", "rest-live"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_customer_has_no_tax_id_contact_or_premise_kind(port):
    assert port.get_customer(CUSTOMER) == Customer(
        "K-1006", "Teresa Zielińska", ADDRESS, email=None, phone=None, tax_id=None, tax_id_kind=None,
        premises=(Premise("P-1006-1", ADDRESS, None),), payment_account=None)
    assert port.get_customer(CUSTOMER).masked_tax_id is None


def test_the_contract_and_meter_carry_only_what_is_required(port):
    assert port.list_contracts(CUSTOMER) == [Contract(
        "U-1006-1", "UM/2026/01006", "P-1006-1", signed_on=None, valid_from=None, valid_to=None,
        status=ContractStatus.ACTIVE, tariff_group=None, billing_cycle=None, einvoice_consent=False, has_scan=False)]
    assert port.list_meters(CUSTOMER) == [Meter(
        "W-1006-1", "ZX-1006", MeterStatus.ACTIVE, user=None, premise_id="P-1006-1", registered_on=None, tariff=None,
        diameter=None, legalisation_valid_until=None, installed_on=None)]
    assert [r.consumption for r in port.list_readings(CUSTOMER, "W-1006-1")] == [None, None, None]


def test_the_invoice_has_no_period_and_no_vat_split(port):
    assert port.get_invoice(CUSTOMER, "INV-1006-02") == Invoice(
        "INV-1006-02", "FV/1006/11/2026", None, date(2026, 11, 16), period_from=None, period_to=None,
        due_on=date(2026, 11, 30), net=None, vat=None, gross=Decimal("156.60"), status=InvoiceStatus.UNPAID,
        premise_id="P-1006-1", lines=(
            InvoiceLine("Dostawa wody", None, None, None, None, None, None, Decimal("62.64")),
            InvoiceLine("Odprowadzanie ścieków", None, None, None, None, None, None, Decimal("93.96")),
        ))
    assert port.get_settlements(CUSTOMER).balance == Decimal("156.60")


def test_the_document_has_no_date_or_size_and_the_reply_no_author(port):
    assert port.list_documents(CUSTOMER)[-1] == DocumentInfo(
        "DOC-1006-1", "Potwierdzenie zawarcia umowy", DocumentCategory.PERSONAL, published_on=None, size=None,
        content_type="application/pdf", public=False)
    [message] = port.list_messages(CUSTOMER)
    assert message.replies == (Reply(datetime(2026, 10, 3, 12, 0, tzinfo=SUMMER), None,
                                     "Inkasent odwiedzi Państwa w ostatnim tygodniu października."),)
