"""Fixtures of the portal and module tests: an app on a temporary database, a real SMTP server on loopback, accounts."""

from __future__ import annotations

import functools
import os
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Callable

import pytest
from aiosmtpd.controller import Controller
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import text

from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway import clock
from gateway.accounts.passwords import passwords
from gateway.accounts.terms import accept_terms, current_terms
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.clock import utcnow
from gateway.db.database import db, engine_of
from gateway.db.models import Account
from tests.portal.doubles import ScriptedBilling

TRANSLATIONS = Path(__file__).resolve().parents[1] / "gateway" / "translations"
PASSWORD = "Correct-Horse-Battery-9"


def portal_day(app: Any, days_from_today: int = 0) -> str:
    """A day the portal's forms take as given (ISO), counted from its own calendar day."""
    with app.app_context():
        return (clock.today() + timedelta(days=days_from_today)).isoformat()


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """`pybabel compile` does this in the build; here too, so the suite runs from a fresh clone."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


@pytest.fixture(autouse=True)
def no_ibok_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own IBOK_ variables must not change what a test sees. The suite's own (IBOK_TEST_DATABASES,
    IBOK_TEST_POSTGRES_URL) are read once before any test, in tests/conftest.py and tests/infra/databases.py."""
    for name in list(os.environ):
        if name.startswith("IBOK_"):
            monkeypatch.delenv(name)


@dataclass
class MailHandler:
    """aiosmtpd's handler: keeps what it receives, refuses the recipients a test names with 550."""

    received: list[EmailMessage] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    handler: MailHandler
    port: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# A utility of the tests' own, as IT sets it for production (the defaults are the demo's SWiK, which it refuses).
OWN_UTILITY = {
    "UTILITY_NAME": "Wodociągi Testowe Sp. z o.o.", "UTILITY_SHORT_NAME": "WT",
    "UTILITY_ADDRESS": "ul. Próbna 1, 00-950 Warszawa", "UTILITY_EMAIL": "bok@wodociagi-testowe.example",
    "UTILITY_PHONE": "+48 22 000 00 00", "UTILITY_WEBSITE": "https://wodociagi-testowe.example",
    "UTILITY_NIP": "5260250274", "PAYMENT_QR_RECIPIENT": "WT Sp. z o.o.",
    "MAIL_FROM": "IBOK <ibok@wodociagi-testowe.example>", "PORTAL_URL": "https://ibok.wodociagi-testowe.example",
}


@pytest.fixture
def own_utility(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """The utility's identity and its own terms files in IBOK_ variables, as a production deployment has them."""
    settings = dict(OWN_UTILITY)
    for name in ("TERMS_IBOK_FILE", "TERMS_EINVOICE_FILE"):
        terms = tmp_path / f"{name.lower()}.txt"
        terms.write_text("REGULAMIN\nWersja 2026-01 Wodociągów Testowych\n", encoding="utf-8")
        settings[name] = str(terms)
    for name, value in settings.items():
        monkeypatch.setenv(f"IBOK_{name}", value)
    return settings


@pytest.fixture(scope="session")
def smtp_server() -> Any:
    handler = MailHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield SmtpServer(handler, controller.port)
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: SmtpServer) -> MailHandler:
    """The messages the SMTP server received during this test only."""
    smtp_server.handler.received.clear()
    smtp_server.handler.refused.clear()
    return smtp_server.handler


@pytest.fixture
def billing() -> ScriptedBilling:
    """The demo dataset (K-1001 Jan Kowalski …) through the in-process fake, able to fail on demand."""
    return ScriptedBilling(FakeBilling(DemoStore.load()))


@pytest.fixture
def config(tmp_path: Path, smtp_server: SmtpServer, database_url: str) -> dict[str, Any]:
    return {
        "PROFILE": "testing",
        "DATABASE_URL": database_url,
        "MAIL_PORT": smtp_server.port,
        "MAIL_FOLDER": str(tmp_path / "mail"),
    }


@pytest.fixture
def app(config: dict[str, Any], billing: ScriptedBilling, mailbox: MailHandler) -> Any:
    app = create_app(config, billing=billing)
    upgrade_database(app)
    return app


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


# Account 7, kowalski on K-1, as the accounts table has held it since 0001.
OLD_ACCOUNT_ROW = text(
    "INSERT INTO accounts (id, login, customer_id, email, password_hash, password_is_one_time, password_set_at, "
    "locked, session_version, created_at) VALUES (7, 'kowalski', 'K-1', 'jan@example.com', '!', false, "
    "'2026-12-01 09:00:00', false, 1, '2026-12-01 09:00:00')")


def app_with_an_old_account(config: dict[str, Any], billing: Any, revision: str) -> Any:
    """A portal whose database stops at `revision`, holding account 7: for tests of a migration over existing rows."""
    app = create_app(config, billing=billing)
    upgrade_database(app, revision)
    with engine_of(app).begin() as connection:
        connection.execute(OLD_ACCOUNT_ROW)
    return app


def add_account(app: Any, login: str = "kowalski", customer_id: str = "K-1001", password: str = PASSWORD,
                one_time: bool = False, terms: bool = True, email: str = "jan.kowalski@example.com") -> int:
    """An account straight in the app's database: active with terms accepted unless told otherwise."""
    with app.app_context():
        account = Account(login=login, customer_id=customer_id, email=email, locked=False, session_version=1,
                          password_hash=passwords().hash(password), password_is_one_time=one_time,
                          password_set_at=utcnow())
        if terms:
            accept_terms(account, list(current_terms().values()), "127.0.0.1")
        db().add(account)
        db().commit()
        return account.id


@pytest.fixture
def make_account(app: Any) -> Callable[..., int]:
    """add_account on the test's app."""
    return functools.partial(add_account, app)


def sign_in(client: Any, login: str = "kowalski", password: str = PASSWORD, **kwargs: Any) -> Any:
    return client.post("/sign-in", data={"login": login, "password": password}, **kwargs)


@pytest.fixture
def signed_in(client: Any, make_account: Callable[..., int]) -> Any:
    """A client signed in as kowalski (K-1001), terms accepted."""
    make_account()
    response = sign_in(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def deliver(app: Any, billing: ScriptedBilling) -> Callable[[], Any]:
    """One round of the outbox deliverer, as the background thread would run it, against the test's ERP."""
    from gateway.outbox.delivery import deliver_due

    def run() -> Any:
        with app.extensions["database"]() as session:
            return deliver_due(session, billing)

    return run


@pytest.fixture
def deliver_elsewhere(app: Any) -> Callable[[], Any]:
    """One round of delivery to an ERP whose answers the portal does not see: taken, but not shown yet (an ERP
    that applies a write some time after taking it)."""
    from gateway.outbox.delivery import deliver_due

    def run() -> Any:
        with app.extensions["database"]() as session:
            return deliver_due(session, FakeBilling(DemoStore.load()))

    return run
