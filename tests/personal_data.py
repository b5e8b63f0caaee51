"""The demo customers' personal data, and a log handler and audit reader that look for it: the sweep's tools
(tests/portal/test_no_personal_data_in_logs.py over the fake, tests/hostile/test_no_personal_data_on_the_wire.py
over the real adapters)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import select

from adapters.core.records import Customer
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway.db.database import engine_of
from gateway.db.models import AuditEntry

# What an ERP might say when it refuses (a REST 409 or 422, a SOAP fault): its words, kept for the customer, quote them.
QUOTING_REASON = "Odczyt klienta Jan Kowalski, ul. Klonowa 7, PESEL 68052141751 odrzucony: wodomierz zdemontowany."


def customer(customer_id: str) -> Customer:
    return FakeBilling(DemoStore.load()).get_customer(customer_id)


def personal_values(record: Customer) -> set[str]:
    """The customer's personal data as the dataset holds it, and as a page or a person would write it."""
    values = {record.name, record.address.street, f"{record.address.postal_code} {record.address.city}"}
    values |= {premise.address.street for premise in record.premises}
    for value in (record.email, record.phone, record.tax_id, record.payment_account):
        if value:
            values |= {value, value.replace(" ", "")}
    if record.payment_account:
        account = record.payment_account
        values.add(account[:2] + " " + " ".join(account[i:i + 4] for i in range(2, len(account), 4)))
    return {value.lower() for value in values}


PERSONAL = personal_values(customer("K-1001")) | personal_values(customer("K-1002"))


class Everything(logging.Handler):
    """Keeps every record as a formatter writes it, its stack trace and extras included; not the test's own SMTP
    server's (aiosmtpd logs each command it receives: the mail server's log, not the portal's)."""

    def __init__(self, audit_before: int) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.audit_before = audit_before
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        """The line as written, and any extra a structured formatter would add (the message's arguments are in it)."""
        if record.name != "mail.log":
            extras = {key: value for key, value in vars(record).items() if key not in ("msg", "args")}
            self.lines.append(self.format(record) + " " + repr(sorted(extras.items(), key=str)))


@contextmanager
def everything_logged(app: Any) -> Iterator[Everything]:
    """Every record from every logger, the root at DEBUG as LOG_LEVEL=DEBUG sets it (a library's own logger keeps
    the level it gives itself: SQLAlchemy's stays at WARNING unless IT turns it up)."""
    handler, root = Everything(len(audit_rows(app))), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def audit_rows(app: Any) -> list[str]:
    """Every audit entry, oldest first, as one text per row."""
    with engine_of(app).connect() as connection:
        rows = connection.execute(select(AuditEntry.__table__).order_by(AuditEntry.id))
        return [" ".join(str(value) for value in row) for row in rows]


def leaks(texts: list[str]) -> list[str]:
    return [f"{sorted(value for value in PERSONAL if value in text.lower())} in {text[:400]}"
            for text in texts if any(value in text.lower() for value in PERSONAL)]


class PersonalDataFound(AssertionError):
    """A log record or an audit entry holds a customer's personal value."""


def assert_nothing_personal(app: Any, handler: Everything) -> None:
    """The test's log records and audit entries, compared without regard to case."""
    entries = audit_rows(app)[handler.audit_before:]
    assert handler.lines and entries, "no log record or audit entry: the sweep would prove nothing"
    found = leaks(handler.lines) + leaks(entries)
    if found:
        raise PersonalDataFound("\n".join(found))
