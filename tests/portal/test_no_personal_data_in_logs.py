"""The sweep: customers and staff do what they do, every log record (DEBUG, every logger) and every audit row is
read, and none holds a demo customer's personal data (name, addresses, e-mail, phone, PESEL/NIP, account number)."""

from __future__ import annotations

import io
import logging
import re
import uuid
from datetime import date
from typing import Any, Iterator

import pytest
from sqlalchemy.exc import IntegrityError

from adapters.core.errors import ErpBadResponse, ErpRejected, ErpUnavailable
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway import clock
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.db.database import engine_of
from gateway.outbox.delivery import deliver_due
from tests.infra.databases import Databases
from tests.personal_data import (
    PERSONAL,
    QUOTING_REASON,
    Everything,
    assert_nothing_personal,
    customer,
    everything_logged,
    leaks,
)
from tests.portal.doubles import ScriptedBilling
from tests.portal_fixtures import PASSWORD, add_account, portal_day, sign_in

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
NEW_PASSWORD = "Zupelnie-nowe-haslo-42"
INVOICE, DOCUMENT, CONTRACT, METER, MESSAGE = "INV-202611-00117", "DOC-1001-1", "U-1001-1", "W-1001-2", "MSG-1001-3"


@pytest.fixture(scope="module")
def erp() -> ScriptedBilling:
    return ScriptedBilling(FakeBilling(DemoStore.load()))


@pytest.fixture(scope="module")
def portal(databases: Databases, smtp_server: Any, erp: ScriptedBilling, tmp_path_factory: Any) -> Iterator[Any]:
    """One portal for the module, with kowalski (K-1001) and nowak (K-1002), each with the ERP's own e-mail."""
    config = {"PROFILE": "testing", "DATABASE_URL": databases.new(), "MAIL_PORT": smtp_server.port,
              "MAIL_FOLDER": str(tmp_path_factory.mktemp("mail")),
              "READING_WINDOW_FIRST_DAY": 1, "READING_WINDOW_LAST_DAY": 28}
    app = create_app(config, billing=erp)
    upgrade_database(app)
    add_account(app, "kowalski", "K-1001", email="jan.kowalski@example.com")
    add_account(app, "nowak", "K-1002", email="anna.nowak@example.com")
    yield app
    engine_of(app).dispose()


@pytest.fixture
def logged(portal: Any, erp: ScriptedBilling, mailbox: Any) -> Iterator[Everything]:
    """Every record of the test from every logger; the ERP and the mail server behave unless told."""
    with everything_logged(portal) as handler:
        yield handler
    erp.failures.clear()


def signed_in(app: Any, login: str = "kowalski") -> Any:
    client = app.test_client()
    assert sign_in(client, login=login).status_code == 302
    return client


def test_the_personal_values_are_the_demo_customers():
    assert {"jan kowalski", "ul. klonowa 7", "47-100 strzelce opolskie", "jan.kowalski@example.com",
            "+48 600 100 101", "+48600100101", "68052141751", "62999000120000000000001001",
            "62 9990 0012 0000 0000 0000 1001", "anna nowak", "ul. krakowska 18/5", "anna.nowak@example.com",
            "84110223861", "rod „pod lipami”, działka nr 27"} <= PERSONAL


def test_signing_in_right_and_wrong(portal, logged):
    client = portal.test_client()
    assert sign_in(client, password="Wrong-password-123").status_code == 200
    assert sign_in(client, login="anna.nowak@example.com").status_code == 200
    assert sign_in(client, login="jan.kowalski@example.com", password=PASSWORD).status_code == 200
    assert sign_in(client, login="kowalski").status_code == 302
    assert client.post("/sign-out").status_code == 302
    assert_nothing_personal(portal, logged)


PAGES = ["/", "/contracts/", f"/contracts/{CONTRACT}", f"/contracts/{CONTRACT}/scan",
         f"/contracts/{CONTRACT}/scan/download", "/meters/", f"/meters/{METER}", "/readings/", f"/readings/{METER}",
         f"/readings/{METER}/readings.csv", "/invoices/", f"/invoices/{INVOICE}", f"/invoices/{INVOICE}/download",
         f"/invoices/{INVOICE}/preview", f"/invoices/{INVOICE}/print", "/settlements/", "/settlements/export.csv",
         "/downloads/", f"/downloads/{DOCUMENT}", "/downloads/DOC-P-001", "/messages/", f"/messages/{MESSAGE}",
         "/messages/new", "/settings/", "/invoices/INV-202611-00132", "/no-such-page"]


def test_every_page_and_file(portal, logged):
    client = signed_in(portal)
    statuses = {path: client.get(path).status_code for path in PAGES}
    assert statuses.pop("/invoices/INV-202611-00132") == statuses.pop("/no-such-page") == 404
    assert set(statuses.values()) == {200}, statuses
    assert any("gateway.requests: GET /invoices/<invoice_id>/download 200" in line for line in logged.lines)
    assert_nothing_personal(portal, logged)


@pytest.mark.parametrize("error", [ErpUnavailable("get_customer", "timed out"),
                                   ErpBadResponse("get_customer", "Not a valid string.", field="address.street"),
                                   ErpRejected("get_customer", QUOTING_REASON)])
def test_the_erp_failing_on_pages(portal, erp, logged, error):
    client = signed_in(portal)
    for operation in ("get_customer", "list_invoices", "get_settlements", "list_messages", "list_meters"):
        erp.fail(operation, type(error)(operation, *error.args[1:]))
    pages = ("/", "/settings/", "/invoices/", "/messages/", "/meters/", "/settlements/")
    answers = {path: client.get(path).status_code for path in pages}
    assert set(answers.values()) - {200} <= {502, 503}, answers
    assert any("list_invoices" in line for line in logged.lines), "the failure left no log line to check"
    assert_nothing_personal(portal, logged)


def test_settings_password_and_e_invoice(portal, logged):
    client = signed_in(portal, "nowak")
    change = {"current_password": "Wrong-password-123", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    assert client.post("/settings/password", data=change).status_code == 400
    assert client.post("/settings/password", data={**change, "current_password": PASSWORD}).status_code == 302
    client = signed_in_with(portal, "nowak", NEW_PASSWORD)
    back = {"current_password": NEW_PASSWORD, "new_password": PASSWORD, "confirm_password": PASSWORD}
    assert client.post("/settings/password", data=back).status_code == 302  # as the module's other tests know it
    client = signed_in_with(portal, "nowak", PASSWORD)
    assert client.post("/settings/e-invoice", data={"disable": "1", "idempotency_key": str(uuid.uuid4())}
                       ).status_code == 302
    assert client.post("/settings/reminders", data={"reading_window": "y"}).status_code == 302
    assert_nothing_personal(portal, logged)


def signed_in_with(app: Any, login: str, password: str) -> Any:
    client = app.test_client()
    assert sign_in(client, login=login, password=password).status_code == 302
    return client


def send_message(client: Any, subject: str = "Zużycie poza sezonem") -> None:
    """A message whose body and attachment's name quote the customer (its subject is what lists show)."""
    message = {"kind": "complaint", "subject": subject, "body": "Jan Kowalski, ul. Klonowa 7, tel. +48 600 100 101",
               "idempotency_key": str(uuid.uuid4()),
               "attachments": (io.BytesIO(PDF_BYTES), "Jan Kowalski ul. Klonowa 7.pdf", "application/pdf")}
    assert client.post("/messages/new", data=message, content_type="multipart/form-data").status_code == 302


def send_reading(client: Any, meter: str = METER, value: str = "220,5") -> None:
    """Yesterday's reading, its note quoting the customer."""
    reading = {"reading_date": portal_day(client.application, -1), "value": value,
               "note": "Jan Kowalski, ul. Klonowa 7", "idempotency_key": str(uuid.uuid4())}
    response = client.post(f"/readings/{meter}", data=reading)
    assert response.status_code == 302, response.status_code


def deliver(app: Any, erp: ScriptedBilling) -> Any:
    with app.extensions["database"]() as session:
        return deliver_due(session, erp)


def test_a_message_with_an_attachment_and_a_reading_delivered_or_refused(portal, erp, logged):
    client = signed_in(portal)
    send_message(client)
    send_reading(client)
    erp.fail("send_message", ErpUnavailable("send_message", "timed out"))
    erp.fail("submit_reading", ErpRejected("submit_reading", "Wodomierz zdemontowany."))
    report = deliver(portal, erp)
    assert (report.retrying, report.rejected) == (1, 1), report
    erp.failures.clear()
    send_message(client)
    assert deliver(portal, erp).delivered == 1
    assert client.get("/messages/").status_code == client.get(f"/readings/{METER}").status_code == 200
    assert_nothing_personal(portal, logged)


def test_a_message_whose_subject_quotes_the_customer(portal, logged):
    send_message(signed_in(portal), subject="Jan Kowalski, ul. Klonowa 7")
    assert_nothing_personal(portal, logged)


def test_a_refusal_whose_reason_quotes_the_customer(portal, erp, logged):
    send_reading(signed_in(portal), "W-1001-3", "437,0")  # not the other test's meter: in any order, one each
    erp.fail("submit_reading", ErpRejected("submit_reading", QUOTING_REASON))
    assert deliver(portal, erp).rejected == 1
    assert_nothing_personal(portal, logged)


@pytest.mark.parametrize("typed", ["kowalski", "jan.kowalski@example.com", "anna.nowak@example.org"])
def test_password_reset_by_login_and_by_address(portal, mailbox, logged, typed):
    client = portal.test_client()
    mailbox.refused.add("jan.kowalski@example.com")
    assert client.post("/password-reset", data={"login_or_email": typed}).status_code == 302
    mailbox.refused.clear()
    assert client.post("/password-reset", data={"login_or_email": typed}).status_code == 302
    assert_nothing_personal(portal, logged)


def test_staff_commands_with_the_mail_server_refusing(portal, mailbox, logged):
    run = portal.test_cli_runner()
    mailbox.refused |= {"jan.kowalski@example.com", "anna.nowak@example.com"}
    assert run.invoke(args=["accounts", "create", "--customer", "K-1001", "--login", "jan2"]).exit_code == 1
    assert run.invoke(args=["accounts", "reset-password", "nowak"]).exit_code == 1
    assert run.invoke(args=["accounts", "set-email", "kowalski", "anna.nowak@example.com"]).exit_code == 0
    assert run.invoke(args=["accounts", "set-email", "kowalski", "jan.kowalski@example.com"]).exit_code == 0
    mailbox.refused.clear()
    assert run.invoke(args=["accounts", "create", "--customer", "K-1002", "--login", "anna2"]).exit_code == 0
    assert_nothing_personal(portal, logged)


def test_the_first_sign_in_with_a_one_time_password(portal, mailbox, logged):
    """An account made by staff: the one-time password from its mail, the terms accepted, a password chosen."""
    assert portal.test_cli_runner().invoke(args=["accounts", "create", "--customer", "K-1002", "--login", "anna3"]
                                           ).exit_code == 0
    match = re.search(r"Hasło jednorazowe: (\S+)", mailbox.received[-1].get_content())
    assert match, "no one-time password in the mail"
    client = portal.test_client()
    assert sign_in(client, login="anna3", password=match.group(1)).location == "/"
    welcome = {"accept_regulamin_ibok": "y", "accept_regulamin_e_faktury": "y", "new_password": NEW_PASSWORD,
               "confirm_password": NEW_PASSWORD}
    assert client.post("/welcome", data=welcome).status_code == 302
    assert client.post("/language", data={"language": "en", "next": "/"}).status_code == 302
    assert client.get("/").status_code == 200
    assert_nothing_personal(portal, logged)


def test_reminders_with_the_mail_server_refusing(portal, mailbox, logged, monkeypatch):
    client = signed_in(portal)
    assert client.post("/settings/reminders", data={"reading_window": "y"}).status_code == 302
    monkeypatch.setattr(clock, "today", lambda: date(2027, 1, 5))
    mailbox.refused.add("jan.kowalski@example.com")
    result = portal.test_cli_runner().invoke(args=["notify", "run"])
    assert result.exit_code == 0, result.output
    assert "not taken by the mail server" in result.output and not result.output.startswith("0 reminders sent, 0 ")
    assert_nothing_personal(portal, logged)


def test_a_refusal_keeps_the_erps_words_for_the_customer_and_out_of_its_text():
    refusal = ErpRejected("submit_reading", QUOTING_REASON, code="INVALID")
    assert (str(refusal), refusal.reason) == ("submit_reading: refused by the ERP (INVALID)", QUOTING_REASON)


def test_a_database_error_in_the_log_names_no_value(portal, logged):
    """A failed statement's text, as a stack trace in the log shows it, holds no parameter."""
    address = str(customer("K-1002").email)  # named, not written out: the stack trace quotes this file's lines
    with pytest.raises(IntegrityError) as failed:
        add_account(portal, "kowalski", "K-1002", email=address)
    logging.getLogger("gateway").error("database error", exc_info=failed.value)
    assert address in repr(failed.value.params), "the statement did not carry the address"
    assert not leaks(logged.lines), leaks(logged.lines)
