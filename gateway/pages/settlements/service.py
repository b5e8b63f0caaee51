"""The settlements page and its CSV as plain functions of the port: the ledger and the invoice list, fetched
at once; without the invoice list the page still shows, only without links to the invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from adapters.core.port import BillingPort
from adapters.core.records import SettlementEntry, Settlements
from gateway.erp.concurrent import gather
from gateway.pages.settlements.ledger import (
    BalanceStatement,
    LedgerFilter,
    Totals,
    is_overdue,
    is_paid,
    select_entries,
    split,
    totals,
)
from gateway.pages.settlements.params import query_args
from gateway.web.paging import Page, paginate

PER_PAGE = 50


@dataclass(frozen=True)
class LedgerRow:
    """An entry as shown: overdue or not, and the number of the customer's own invoice it concerns."""

    entry: SettlementEntry
    overdue: bool
    invoice_number: str | None = None

    @property
    def paid(self) -> bool:
        return is_paid(self.entry)

    @property
    def is_the_invoice(self) -> bool:
        """The entry is the invoice itself (its number links), not a payment made towards it."""
        return self.invoice_number == self.entry.document_number


@dataclass(frozen=True)
class Ledger:
    settlements: Settlements
    invoice_numbers: dict[str, str]
    invoices_listed: bool


@dataclass(frozen=True)
class SettlementsView:
    page: Page[SettlementEntry]
    unpaid_rows: list[LedgerRow]
    paid_rows: list[LedgerRow]
    unpaid: Totals
    paid: Totals
    shown: Totals
    balance: BalanceStatement
    wanted: LedgerFilter
    invoices_listed: bool

    @property
    def args(self) -> dict[str, str]:
        return query_args(self.wanted)


def load_ledger(port: BillingPort, customer_id: str, timeout: float) -> Ledger:
    """Both calls at once; the ledger is the page, so its failure is the page's (an error page follows)."""
    outcomes = gather({
        "get_settlements": lambda: port.get_settlements(customer_id),
        "list_invoices": lambda: port.list_invoices(customer_id),
    }, timeout)
    found = outcomes["get_settlements"]
    if found.error is not None:
        raise found.error
    invoices = outcomes["list_invoices"]
    numbers = {invoice.id: invoice.number for invoice in invoices.value} if invoices.ok else {}
    return Ledger(found.value, numbers, invoices.ok)


def ledger_rows(ledger: Ledger, entries: list[SettlementEntry], today: date) -> list[LedgerRow]:
    """An invoice id that is not among the customer's own invoices gets no link."""
    own = ledger.invoice_numbers
    return [LedgerRow(entry, is_overdue(entry, today), own.get(entry.invoice_id or "")) for entry in entries]


def settlements_view(ledger: Ledger, wanted: LedgerFilter, page_number: int, today: date) -> SettlementsView:
    """Totals cover every row the filter keeps, not just this page's."""
    chosen = select_entries(ledger.settlements.entries, wanted)
    page = paginate(chosen, page_number, PER_PAGE)
    unpaid_rows, paid_rows = split_rows(ledger_rows(ledger, list(page.items), today))
    unpaid, paid = split(chosen)
    return SettlementsView(page, unpaid_rows, paid_rows, totals(unpaid), totals(paid), totals(chosen),
                           BalanceStatement(ledger.settlements.balance), wanted, ledger.invoices_listed)


def split_rows(rows: list[LedgerRow]) -> tuple[list[LedgerRow], list[LedgerRow]]:
    return [row for row in rows if not row.paid], [row for row in rows if row.paid]


def export_rows(ledger: Ledger, wanted: LedgerFilter, today: date) -> list[LedgerRow]:
    """Exactly the rows the page shows for the same filter, all pages together."""
    return ledger_rows(ledger, select_entries(ledger.settlements.entries, wanted), today)
