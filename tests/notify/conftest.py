"""An ERP of hand-made records for the reminder tests (one of each kind of news for K-1), and helpers to switch
kinds on and run `flask notify run`'s work on a fixed day."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

import pytest

from adapters.core.errors import ErpError
from adapters.core.port import BillingPort
from adapters.core.records import (
    InvoiceStatus,
    InvoiceSummary,
    Message,
    MessageKind,
    MessageStatus,
    Meter,
    MeterStatus,
    Reply,
    SettlementEntry,
    SettlementKind,
    Settlements,
)
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.db.database import db
from gateway.db.models import Account
from gateway.notify import subscriptions
from gateway.notify.fetch import Fetcher
from gateway.notify.kinds import EMAIL, KINDS
from gateway.notify.ratelimit import RateLimiter
from gateway.notify.run import Run, Totals
from tests.portal_fixtures import add_account

# The customer switches reminders on at NOW (UTC); the run happens on TODAY (in Poland).
NOW = datetime(2026, 12, 1, 9, 0)
TODAY = date(2026, 12, 10)
ALL_KINDS = set(KINDS)


def invoice(number: int, issued: date, due: date, gross: str) -> InvoiceSummary:
    return InvoiceSummary(f"INV-{number}", f"FV/{number:05d}/12/2026", None, issued, issued, issued, due,
                          Decimal(gross), Decimal("0.00"), Decimal(gross), InvoiceStatus.UNPAID, None)


def charge(number: int, issued: date, due: date, amount: str, remaining: str) -> SettlementEntry:
    return SettlementEntry(SettlementKind.INVOICE, f"FV/{number:05d}/12/2026", issued, due, None, Decimal(amount),
                           Decimal(amount) - Decimal(remaining), Decimal(remaining), f"INV-{number}")


def meter(meter_id: str, serial: str, status: MeterStatus) -> Meter:
    return Meter(meter_id, serial, status, "Jan Kowalski", "P-1", date(2020, 1, 1), "G1", "DN15", date(2030, 1, 1),
                 date(2020, 1, 1))


def message(message_id: str, case: str, *replied: datetime) -> Message:
    return Message(message_id, case, MessageKind.INQUIRY, "Pytanie", "Treść", datetime(2026, 10, 1, 8, 0),
                   MessageStatus.ANSWERED, None, None, (), tuple(Reply(at, "BOK", "Odpowiedź") for at in replied))


def news(customer: int) -> dict[str, Any]:
    """For customer K-<n>: one new and one old thing of each kind (the old one before NOW, or not due)."""
    return {
        "list_invoices": [invoice(customer * 10 + 1, date(2026, 12, 5), date(2026, 12, 19), "123.45"),
                          invoice(customer * 10 + 2, date(2026, 11, 5), date(2026, 11, 19), "80.00")],
        "get_settlements": Settlements(Decimal("200.00"), (
            charge(customer * 10 + 3, date(2026, 11, 28), date(2026, 12, 12), "60.00", "50.00"),  # due in 2 days
            charge(customer * 10 + 4, date(2026, 12, 1), date(2026, 12, 20), "70.00", "70.00"),  # due in 10 days
            charge(customer * 10 + 5, date(2026, 11, 24), date(2026, 12, 8), "40.00", "40.00"),  # overdue since 9.12
            charge(customer * 10 + 6, date(2026, 11, 6), date(2026, 11, 20), "30.00", "30.00"),  # overdue before NOW
            charge(customer * 10 + 7, date(2026, 11, 26), date(2026, 12, 9), "25.00", "0.00"),  # paid
        )),
        "list_meters": [meter("W-1", f"SW-{customer}-ACTIVE", MeterStatus.ACTIVE),
                        meter("W-2", f"SW-{customer}-REMOVED", MeterStatus.REMOVED)],
        "list_messages": [message("MSG-1", f"ZG/2026/{customer:05d}",
                                  datetime.fromisoformat("2026-12-03T10:00:00+01:00")),
                          message("MSG-2", "ZG/2026/99999", datetime.fromisoformat("2026-11-02T10:00:00+01:00"))],
    }


@dataclass
class HandMadeErp(BillingPort):
    """The reads a run makes, answered from `data` per customer; counts calls, fails for customers it is told,
    and can hold every list_invoices call at a barrier (two runs made to overlap)."""

    data: dict[str, dict[str, Any]] = field(default_factory=dict)
    failing: dict[str, ErpError] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    barrier: threading.Barrier | None = None
    clock: Callable[[], float] | None = None
    times: list[float] = field(default_factory=list)

    def perform(self, operation: str, customer_id: str, *args: Any) -> Any:
        self.calls.append((operation, customer_id))
        if self.clock is not None:
            self.times.append(self.clock())
        if operation == "list_invoices" and self.barrier is not None:
            self.barrier.wait(timeout=10)
        if customer_id in self.failing:
            raise self.failing[customer_id]
        return self.data[customer_id][operation]


@pytest.fixture
def erp() -> HandMadeErp:
    return HandMadeErp({"K-1": news(1)})


@pytest.fixture
def notify_app(config: dict[str, Any], erp: HandMadeErp, mailbox: Any) -> Any:
    """The portal over the hand-made ERP; its reading window opens on the 8th of each month."""
    app = create_app({**config, "READING_WINDOW_FIRST_DAY": 8, "READING_WINDOW_LAST_DAY": 14}, billing=erp)
    upgrade_database(app)
    return app


def switch_on(app: Any, account_id: int, kinds: set[str], at: datetime = NOW, channel: str = EMAIL) -> None:
    """As the settings page does (consent and audit), at the given moment, for e-mail or SMS."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subscriptions, "utcnow", lambda: at)
        with app.app_context():
            account = db().get(Account, account_id)
            assert account is not None
            for kind in sorted(kinds):
                subscriptions.switch(account, kind, True, via="test", channel=channel)
            db().commit()


@pytest.fixture
def customer(notify_app: Any) -> int:
    """kowalski on K-1, every kind switched on at NOW."""
    account_id = add_account(notify_app, login="kowalski", customer_id="K-1", email="jan@example.com")
    switch_on(notify_app, account_id, ALL_KINDS)
    return account_id


def run_once(app: Any, port: BillingPort, today: date = TODAY, threads: int = 2,
             limiter: RateLimiter | None = None) -> Totals:
    """One `flask notify run` pass on the given day, its own database session (as another process would)."""
    with app.app_context():
        return Run(db(), Fetcher(port, limiter or RateLimiter(10_000), threads), today)()
