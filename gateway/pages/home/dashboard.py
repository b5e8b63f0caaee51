"""What the start page shows, gathered from the ERP concurrently: a failed part leaves the rest standing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from adapters.core.port import BillingPort
from adapters.core.records import InvoiceSummary, Meter, MeterStatus, Reading
from adapters.resilience.peeking import Peekable
from gateway.erp.concurrent import Outcome, gather
from gateway.erp.dues import summarise
from gateway.erp.invoice_order import latest_invoices
from gateway.erp.reading_rules import last_reading

LATEST_INVOICES = 5
# Names of the readings calls in a gather, one per meter, beside the four calls named after their operation.
READINGS = "list_readings:"
# The last readings card needs both; an ERP without them has no card (the customer's own readings still show).
READINGS_NEED = ("list_meters", "list_readings")


@dataclass(frozen=True)
class MeterReading:
    meter: Meter
    last: Reading | None


@dataclass
class Dashboard:
    customer: Outcome
    balance: Outcome
    invoices: Outcome  # the latest few, as the invoice list shows them first
    readings: Outcome = field(default_factory=Outcome)
    every_invoice: tuple[InvoiceSummary, ...] = ()  # the whole list: payment states tell booked ones by it


def load_dashboard(port: BillingPort, customer_id: str, today: date, timeout: float) -> Dashboard:
    """One round of ERP calls at once. The last readings need the meter ids: those of the meters known from
    an earlier answer are read in the same round, then checked against the fresh meter list; only a meter
    not known before (or every meter, on a first visit) waits for a second round. An ERP without meters or
    readings is not asked for them."""
    readable = all(port.offers(name) for name in READINGS_NEED)
    calls: dict[str, Callable[[], Any]] = {
        "get_customer": lambda: port.get_customer(customer_id),
        "get_settlements": lambda: summarise(port.get_settlements(customer_id), today),
        "list_invoices": lambda: tuple(port.list_invoices(customer_id)),
    }
    if readable:
        calls["list_meters"] = lambda: port.list_meters(customer_id)
        known = _known_active_meters(port, customer_id)
        calls.update({READINGS + meter_id: _reader(port, customer_id, meter_id) for meter_id in known})
    first = gather(calls, timeout)
    invoices = first["list_invoices"]
    latest = Outcome(value=latest_invoices(invoices.value, LATEST_INVOICES)) if invoices.ok else invoices
    dashboard = Dashboard(first["get_customer"], first["get_settlements"], latest,
                          every_invoice=invoices.value if invoices.ok else ())
    dashboard.readings = _last_readings(port, customer_id, first, timeout) if readable else Outcome(value=[])
    return dashboard


def _known_active_meters(port: BillingPort, customer_id: str) -> list[str]:
    """Active meters of the last meter list the cache holds (fresh or kept for serving stale); none without one."""
    meters = port.peek("list_meters", customer_id, None) if isinstance(port, Peekable) else None
    return [meter.id for meter in meters or () if meter.status is MeterStatus.ACTIVE]


def _last_readings(port: BillingPort, customer_id: str, first: dict[str, Outcome], timeout: float) -> Outcome:
    meters = first["list_meters"]
    if not meters.ok:
        return meters
    active = [meter for meter in meters.value if meter.status is MeterStatus.ACTIVE]
    missing = {meter.id: _reader(port, customer_id, meter.id) for meter in active if READINGS + meter.id not in first}
    late = gather(missing, timeout) if missing else {}
    outcomes = {meter.id: late.get(meter.id) or first[READINGS + meter.id] for meter in active}
    failed = next((outcome for outcome in outcomes.values() if not outcome.ok), None)
    if failed is not None:
        return failed
    return Outcome(value=[MeterReading(meter, _last(outcomes[meter.id].value)) for meter in active])


def _reader(port: BillingPort, customer_id: str, meter_id: str) -> Callable[[], list[Reading]]:
    return lambda: port.list_readings(customer_id, meter_id)


def _last(readings: list[Reading]) -> Reading | None:
    """The meter's own last counted reading: a rejected one is not its state."""
    return last_reading(readings)
