"""Invoice pages as plain functions of the port: one cached list call for the list, details, the PDF."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from adapters.core.errors import ErpError
from adapters.core.ksef import file_hash
from adapters.core.port import BillingPort
from adapters.core.records import Customer, FileContent, Invoice, InvoiceStatus, InvoiceSummary, SettlementEntry
from gateway.erp.concurrent import Outcome, gather
from gateway.erp.dues import invoice_entry, is_overdue, left_to_pay
from gateway.pages.invoices.listing import (
    InvoiceFilter,
    available_years,
    invoice_file_name,
    overdue_ids,
    query_args,
    select_invoices,
)
from gateway.web.paging import Page, paginate
from gateway.web.query import ParsedQuery

PER_PAGE = 20


@dataclass(frozen=True)
class InvoiceList:
    page: Page[InvoiceSummary]
    years: list[int]
    wanted: InvoiceFilter
    overdue: frozenset[str]

    @property
    def args(self) -> dict[str, str]:
        return query_args(self.wanted)


@dataclass(frozen=True)
class Payable:
    """What remains to pay of the invoice and by when, from its settlements entry."""

    entry: SettlementEntry
    overdue: bool

    @property
    def left(self) -> Decimal:
        return left_to_pay(self.entry)


@dataclass(frozen=True)
class InvoiceDetails:
    invoice: Invoice
    premise: str | None
    payable: Payable | None = None
    customer: Customer | None = None  # for the "how to pay" box, so it need not read the customer again

    @property
    def amount_to_pay(self) -> Decimal | None:
        """What the "how to pay" box asks for: the ledger's remainder, else the gross while unpaid; None when the
        ERP cannot say how much of a partly paid invoice is left."""
        if self.payable is not None:
            return self.payable.left
        if self.invoice.status is InvoiceStatus.PAID:
            return Decimal("0")
        return self.invoice.gross if self.invoice.status is InvoiceStatus.UNPAID else None


def wanted_from(parsed: ParsedQuery, years: list[int]) -> InvoiceFilter:
    """A year with no invoices is never offered, so asking for it is a bad link: say so, show all years."""
    values = parsed.values
    year = values["year"]
    if year is not None and year not in years:
        parsed.add_error(_("There are no invoices from %(year)s, so invoices from every year are shown.", year=year))
        year = None
    return InvoiceFilter(year=year, status=values["status"], sort=values["sort"], order=values["order"])


def invoice_list(port: BillingPort, customer_id: str, parsed: ParsedQuery, today: date) -> InvoiceList:
    """Everything from one list_invoices call: a customer with 1,000 invoices costs one cached answer."""
    invoices = port.list_invoices(customer_id)
    years = available_years(invoices)
    wanted = wanted_from(parsed, years)
    page = paginate(select_invoices(invoices, wanted), parsed.values["page"], PER_PAGE)
    return InvoiceList(page, years, wanted, overdue_ids(page.items, today))


def invoice_details(port: BillingPort, customer_id: str, invoice_id: str, today: date,
                    timeout: float) -> InvoiceDetails:
    """The invoice with its lines, its premise's address and what remains to pay, each of the last two when the
    ERP gives it in time."""
    outcomes = gather({
        "get_invoice": lambda: port.get_invoice(customer_id, invoice_id),
        "get_customer": lambda: port.get_customer(customer_id),
        "get_settlements": lambda: port.get_settlements(customer_id),
    }, timeout)
    found = outcomes["get_invoice"]
    if found.error is not None:
        raise found.error
    invoice: Invoice = with_file_hash(port, customer_id, found.value)
    customer = outcomes["get_customer"].value
    return InvoiceDetails(invoice, _premise_address(customer, invoice.premise_id),
                          _payable(outcomes["get_settlements"], invoice.id, today), customer)


def with_file_hash(port: BillingPort, customer_id: str, invoice: Invoice) -> Invoice:
    """An invoice in KSeF whose ERP sends no hash gets it from its FA(3) file, when the ERP offers that (a cached
    read); without either, KOD I cannot be drawn and the invoice stays as it came."""
    if invoice.ksef_hash or not (invoice.ksef_number or invoice.ksef_offline) or not port.offers("get_invoice_xml"):
        return invoice
    try:
        content = port.get_invoice_xml(customer_id, invoice.id).content
    except ErpError:
        return invoice
    return dataclasses.replace(invoice, ksef_hash=file_hash(content))


def _payable(settlements: Outcome, invoice_id: str, today: date) -> Payable | None:
    """None when the ledger did not come or keeps no line for the invoice: the page shows its status only."""
    entry = invoice_entry(settlements.value, invoice_id) if settlements.ok else None
    return Payable(entry, is_overdue(entry, today)) if entry is not None else None


def _premise_address(customer: Any, premise_id: str | None) -> str | None:
    """None when the customer's data did not come, or the premise is not among theirs."""
    if customer is None or premise_id is None:
        return None
    return next((str(premise.address) for premise in customer.premises if premise.id == premise_id), None)


def invoice_pdf(port: BillingPort, customer_id: str, invoice: InvoiceSummary) -> FileContent:
    """The ERP's PDF under a name the customer recognises: "Faktura FV-2026-10-0001.pdf"."""
    file = port.get_invoice_pdf(customer_id, invoice.id)
    return dataclasses.replace(file, filename=invoice_file_name(_("Invoice"), invoice.number))


def invoice_xml(port: BillingPort, customer_id: str, invoice: InvoiceSummary) -> FileContent:
    """The invoice's FA(3) file from KSeF, named like its PDF: "Faktura FV-2026-10-0001.xml"."""
    file = port.get_invoice_xml(customer_id, invoice.id)
    return dataclasses.replace(file, filename=invoice_file_name(_("Invoice"), invoice.number, "xml"))
