"""Reminders for every customer an account shows: a property manager hears of each building's news once, each
e-mail names the customer number and the building, a customer shown by several accounts is asked once per run,
and a link removed stops that customer's reminders from the next run on."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, select, text

from adapters.core.records import Address, Customer, Premise
from gateway.cli.db import upgrade_database
from gateway.db.database import db, engine_of
from gateway.db.models import AccountLink
from gateway.notify import subscriptions
from gateway.notify.kinds import NEW_INVOICE, READING_WINDOW
from gateway.notify.model import LedgerEntry
from tests.notify.conftest import HandMadeErp, invoice, news, run_once, switch_on
from tests.portal_fixtures import add_account, app_with_an_old_account

MANAGER = "biuro@zarzadca.example.com"


def building(number: int) -> Customer:
    """A housing community: letters go to the manager's office, its one premise is the building."""
    premise = Premise(f"P-{number}", Address(f"ul. Lipowa {number}", "45-002", "Opole"), None)
    return Customer(f"K-{number}", f"Wspólnota Mieszkaniowa nr {number}", Address("ul. Biurowa 1", "45-001", "Opole"),
                    MANAGER, None, None, None, (premise,))


@pytest.fixture
def erp() -> HandMadeErp:
    return HandMadeErp({f"K-{number}": {**news(number), "get_customer": building(number)} for number in (1, 2, 3)})


def link(app: Any, account_id: int, *customer_ids: str) -> None:
    with app.app_context():
        db().add_all(AccountLink(account_id=account_id, customer_id=customer_id) for customer_id in customer_ids)
        db().commit()


def unlink(app: Any, account_id: int, customer_id: str) -> None:
    with app.app_context():
        db().execute(delete(AccountLink).where(AccountLink.account_id == account_id,
                                               AccountLink.customer_id == customer_id))
        db().commit()


@pytest.fixture
def manager(notify_app: Any) -> int:
    """zarzadca on K-1, linked to K-2 and K-3, new-invoice reminders on."""
    account_id = add_account(notify_app, login="zarzadca", customer_id="K-1", email=MANAGER)
    link(notify_app, account_id, "K-2", "K-3")
    switch_on(notify_app, account_id, {NEW_INVOICE})
    return account_id


def _bodies(mailbox: Any) -> list[str]:
    """The texts as written (SMTP carries them with CRLF line ends)."""
    return [mail.get_content().replace("\r\n", "\n") for mail in mailbox.received]


def test_a_manager_hears_of_each_customers_new_invoice_once_naming_the_customer_and_the_building(
        notify_app, erp, manager, mailbox):
    first, second = run_once(notify_app, erp), run_once(notify_app, erp)
    assert (first.sent, first.customers, second.sent) == (3, 3, 0)
    assert {mail["To"] for mail in mailbox.received} == {MANAGER}
    bodies = sorted(_bodies(mailbox))
    assert len(bodies) == 3
    for number, body in zip((1, 2, 3), bodies, strict=True):
        assert f"Numer Klienta: K-{number}\nAdres posesji: ul. Lipowa {number}, 45-002 Opole\n" in body, body
        assert f"Faktura: FV/000{number}1/12/2026" in body
        assert [other for other in (1, 2, 3) if f"FV/000{other}1/12/2026" in body] == [number]


def test_a_customer_shown_by_several_accounts_is_asked_once_per_run_and_each_account_hears(
        notify_app, erp, manager, mailbox):
    own = add_account(notify_app, login="wspolnota2", customer_id="K-2", email="wspolnota2@example.com")
    switch_on(notify_app, own, {NEW_INVOICE})
    notify_app.config["NOTIFY_BATCH_SIZE"] = 1  # each customer in a batch of its own
    assert run_once(notify_app, erp).sent == 4
    assert sorted(call for call in erp.calls if call[0] == "list_invoices") == [
        ("list_invoices", "K-1"), ("list_invoices", "K-2"), ("list_invoices", "K-3")]
    about_k2 = sorted(mail["To"] for mail in mailbox.received if "FV/00021/12/2026" in mail.get_content())
    assert about_k2 == [MANAGER, "wspolnota2@example.com"]


def test_the_same_kind_and_key_for_two_customers_are_two_reminders(notify_app, erp, mailbox):
    erp.data["K-2"] = {**news(1), "get_customer": building(2)}  # the same invoice id and reading window as K-1
    account_id = add_account(notify_app, login="zarzadca", customer_id="K-1", email=MANAGER)
    link(notify_app, account_id, "K-2")
    switch_on(notify_app, account_id, {NEW_INVOICE, READING_WINDOW})
    assert run_once(notify_app, erp).sent == 4
    assert run_once(notify_app, erp).sent == 0
    with notify_app.app_context():
        rows = db().execute(select(LedgerEntry.customer_id, LedgerEntry.kind, LedgerEntry.key)
                            .order_by(LedgerEntry.customer_id, LedgerEntry.kind)).all()
    assert [tuple(row) for row in rows] == [("K-1", "new_invoice", "INV-11"), ("K-1", "reading_window", "2026-12-08"),
                                            ("K-2", "new_invoice", "INV-11"), ("K-2", "reading_window", "2026-12-08")]


def test_an_unlinked_customer_is_not_asked_again_and_nothing_of_it_reaches_the_account(
        notify_app, erp, manager, mailbox):
    assert run_once(notify_app, erp).sent == 3
    for number in (2, 3):  # both buildings get a new invoice; K-3's link is then removed
        erp.data[f"K-{number}"]["list_invoices"].append(invoice(number * 10 + 8, date(2026, 12, 9),
                                                                date(2026, 12, 23), "10.00"))
    unlink(notify_app, manager, "K-3")
    erp.calls.clear()
    assert run_once(notify_app, erp).sent == 1
    assert "FV/00028/12/2026" in _bodies(mailbox)[-1]
    assert not any("FV/00038/12/2026" in body or "K-3" in body for body in _bodies(mailbox)[3:])
    assert {customer for _operation, customer in erp.calls} == {"K-1", "K-2"}


def test_the_unsubscribe_link_in_a_linked_customers_mail_works_without_signing_in(notify_app, erp, manager, mailbox):
    run_once(notify_app, erp)
    mail = next(mail for mail in mailbox.received if "Numer Klienta: K-3" in mail.get_content().splitlines())
    path = str(mail["List-Unsubscribe"]).strip("<>").removeprefix("http://portal.test")
    assert notify_app.test_client().post(path).status_code == 200
    with notify_app.app_context():
        assert subscriptions.switched_on(manager) == set()


def test_the_stuck_list_names_the_customer_of_each_claim(notify_app, erp, manager):
    with notify_app.app_context():
        from gateway.notify import ledger

        ledger.claim(db(), manager, "K-3", NEW_INVOICE, "INV-31", "email")
    notify_app.config["NOTIFY_STUCK_MINUTES"] = 0
    lines = notify_app.test_cli_runner().invoke(args=["notify", "list", "--stuck"]).output.strip().splitlines()
    assert lines[0].endswith("  zarzadca  K-3  new_invoice  INV-31") and lines[-1] == "1 stuck"


@pytest.mark.empty_database
def test_ledger_rows_kept_before_0011_get_the_accounts_own_customer(config, erp):
    app = app_with_an_old_account(config, erp, "0010")
    with engine_of(app).begin() as connection:
        connection.execute(text(
            "INSERT INTO notify_ledger (account_id, kind, key, channel, state, claimed_at) "
            "VALUES (7, 'new_invoice', 'INV-11', 'email', 'sent', '2026-12-01 10:00:00')"))
    upgrade_database(app)
    with engine_of(app).connect() as connection:
        rows = connection.execute(text("SELECT account_id, customer_id, kind, key FROM notify_ledger")).all()
    assert [tuple(row) for row in rows] == [(7, "K-1", "new_invoice", "INV-11")]
