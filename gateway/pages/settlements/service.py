"""The settlements page and its CSV as plain functions of the port: the ledger and the invoice list, fetched
at once; without the invoice list the page still shows, only without links to the invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from adapters.core.port import BillingPort
from adapters.core.records import SettlementEntry, Settlements
from gateway.erp.concurrent import gather
from gateway.erp.dues import Dues, charge, credit, is_overdue, left_to_pay, left_to_use, overdue_entries, summarise
from gateway.pages.settlements.ledger import (
    LedgerFilter,
    Totals,
    is_settled,
    select_entries,
    state_of,
    totals,
    year_filter,
    years,
)
from gateway.pages.settlements.params import query_args
from gateway.web.paging import Page, paginate

# A phone shows about one row a screen: twenty rows a page, the rest a page or a year away.
PER_PAGE = 20


@dataclass(frozen=True)
class LedgerRow:
    """An entry as shown: its side, what is left, its state, overdue or not, and the customer's invoice it concerns."""

    entry: SettlementEntry
    overdue: bool
    invoice_number: str | None = None

    @property
    def settled(self) -> bool:
        return is_settled(self.entry)

    @property
    def charge(self) -> Decimal:
        return charge(self.entry)

    @property
    def credit(self) -> Decimal:
        return credit(self.entry)

    @property
    def left_to_pay(self) -> Decimal:
        return left_to_pay(self.entry)

    @property
    def left_to_use(self) -> Decimal:
        return left_to_use(self.entry)

    @property
    def state(self) -> str:
        return state_of(self.entry)

    @property
    def is_the_invoice(self) -> bool:
        """The entry is the invoice itself (its number links), not a payment made towards it."""
        return self.invoice_number == self.entry.document_number


@dataclass(frozen=True)
class YearRows:
    year: int
    rows: list[LedgerRow]


@dataclass(frozen=True)
class Ledger:
    settlements: Settlements
    invoice_numbers: dict[str, str]
    invoices_listed: bool


@dataclass(frozen=True)
class SettlementsView:
    page: Page[SettlementEntry]
    open_rows: list[LedgerRow]
    settled_years: list[YearRows]
    open: Totals
    settled: Totals
    shown: Totals
    dues: Dues
    overdue_rows: list[LedgerRow]
    years: list[int]
    wanted: LedgerFilter
    invoices_listed: bool

    @property
    def args(self) -> dict[str, str]:
        return query_args(self.wanted)

    def year_args(self, year: int) -> dict[str, str]:
        """The filter's links narrowed to one year, kind and state kept."""
        return query_args(year_filter(self.wanted, year))

    @property
    def all_years_args(self) -> dict[str, str]:
        """The filter's links without the date range, kind and state kept."""
        return query_args(LedgerFilter(kind=self.wanted.kind, state=self.wanted.state))

    @property
    def year(self) -> int | None:
        """The year the filter is narrowed to exactly, if it is."""
        return next((year for year in self.years if year_filter(self.wanted, year) == self.wanted), None)


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


def by_year(rows: list[LedgerRow]) -> list[YearRows]:
    """Consecutive rows of one issue year together, in the order given (newest first on the page)."""
    return [YearRows(year, list(group)) for year, group in groupby(rows, key=lambda row: row.entry.issued_on.year)]


def settlements_view(ledger: Ledger, wanted: LedgerFilter, page_number: int, today: date) -> SettlementsView:
    """Totals cover every row the filter keeps, not just this page's; the dues cover the whole account."""
    entries = ledger.settlements.entries
    chosen = select_entries(entries, wanted)
    page = paginate(chosen, page_number, PER_PAGE)
    rows = ledger_rows(ledger, list(page.items), today)
    return SettlementsView(
        page=page,
        open_rows=[row for row in rows if not row.settled],
        settled_years=by_year([row for row in rows if row.settled]),
        open=totals(entry for entry in chosen if not is_settled(entry)),
        settled=totals(entry for entry in chosen if is_settled(entry)),
        shown=totals(chosen),
        dues=summarise(ledger.settlements, today),
        overdue_rows=ledger_rows(ledger, overdue_entries(entries, today), today),
        years=years(entries),
        wanted=wanted,
        invoices_listed=ledger.invoices_listed,
    )


def export_rows(ledger: Ledger, wanted: LedgerFilter, today: date) -> list[LedgerRow]:
    """Exactly the rows the page shows for the same filter, all pages together."""
    return ledger_rows(ledger, select_entries(ledger.settlements.entries, wanted), today)
