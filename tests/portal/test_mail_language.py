"""E-mails and SMS in the language the customer chose in the portal: stored on the account by the switch (or at
sign-in), used by reminders, change notices, reset links and one-time passwords; Polish for whoever never chose."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from gateway.app import create_app
from gateway.cli.db import upgrade_database
from gateway.db.database import db, engine_of
from gateway.db.models import Account
from gateway.notify.events import Event
from gateway.notify.kinds import NEW_INVOICE
from gateway.notify.sms import sms_text
from tests.notify.conftest import HandMadeErp, news, run_once, switch_on
from tests.portal_fixtures import add_account, app_with_an_old_account, sign_in

UTILITY = "Strzeleckie Wodociągi i Kanalizacja Sp. z o.o."


@pytest.fixture(scope="module")
def erp() -> HandMadeErp:
    return HandMadeErp({"K-1": news(1), "K-2": news(2)})


@pytest.fixture(scope="module")
def portal(databases: Any, smtp_server: Any, erp: HandMadeErp) -> Any:
    """One portal per module and backend; each test makes its own accounts, under logins of its own."""
    app = create_app({"PROFILE": "testing", "DATABASE_URL": databases.new(), "MAIL_PORT": smtp_server.port},
                     billing=erp)
    yield app
    engine_of(app).dispose()


def language_of(app: Any, account_id: int) -> str | None:
    with app.app_context():
        account = db().get(Account, account_id)
        assert account is not None
        return account.language


def english_account(app: Any, login: str, customer_id: str = "K-1") -> int:
    """An account whose customer signed in and switched the portal to English."""
    account_id = add_account(app, login=login, customer_id=customer_id, email=f"{login}@example.com")
    client = app.test_client()
    assert sign_in(client, login).status_code == 302
    assert client.post("/language", data={"language": "en"}).status_code == 302
    return account_id


def polish_account(app: Any, login: str, customer_id: str = "K-2") -> int:
    """An account whose customer never touched the language switch."""
    return add_account(app, login=login, customer_id=customer_id, email=f"{login}@example.com")


def by_recipient(mailbox: Any) -> dict[str, Any]:
    return {message["To"]: message for message in mailbox.received}


def test_switching_language_while_signed_in_stores_it_on_the_account(portal):
    switched, other = english_account(portal, "switcher"), polish_account(portal, "stayer")
    assert (language_of(portal, switched), language_of(portal, other)) == ("en", None)
    client = portal.test_client()
    sign_in(client, "switcher")
    client.post("/language", data={"language": "pl"})
    assert language_of(portal, switched) == "pl"


def test_a_language_chosen_before_signing_in_is_stored_at_sign_in(portal):
    chosen, not_chosen = polish_account(portal, "chooser"), polish_account(portal, "ignorer")
    client = portal.test_client()
    client.post("/language", data={"language": "en"})
    assert sign_in(client, "chooser").status_code == 302
    assert sign_in(portal.test_client(), "ignorer").status_code == 302
    assert (language_of(portal, chosen), language_of(portal, not_chosen)) == ("en", None)


def test_a_reminder_goes_in_english_to_the_english_account_and_in_polish_to_the_other(portal, erp, mailbox):
    english, polish = english_account(portal, "reminded-en"), polish_account(portal, "reminded-pl")
    switch_on(portal, english, {NEW_INVOICE})
    switch_on(portal, polish, {NEW_INVOICE})
    assert run_once(portal, erp).sent == 2
    mails = by_recipient(mailbox)
    assert mails["reminded-en@example.com"]["Subject"] == "A new invoice in the customer portal (IBOK)"
    body = mails["reminded-en@example.com"].get_content()
    assert f"A new invoice from {UTILITY} is waiting for you in the customer portal (IBOK)." in body
    assert "Customer number: K-1" in body and "Amount: 123,45 zł" in body and "Due date: 19.12.2026" in body
    assert "You receive this e-mail because you switched on this reminder (A new invoice)" in body
    assert "Państwa" not in body
    assert mails["reminded-pl@example.com"]["Subject"] == "Nowa faktura w Internetowym Biurze Obsługi Klienta (IBOK)"
    assert (f"w Internetowym Biurze Obsługi Klienta (IBOK) {UTILITY} jest dostępna nowa faktura dla Państwa."
            in mails["reminded-pl@example.com"].get_content())


def test_an_sms_is_in_the_accounts_language(portal):
    event = Event(NEW_INVOICE, "INV-11", date(2026, 12, 10),
                  {"number": "FV/00011/12/2026", "amount": Decimal("123.45"), "due_on": date(2026, 12, 19)})
    with portal.app_context():
        english, polish = sms_text(event, "K-1", "en"), sms_text(event, "K-1", None)
    assert english == ("IBOK, customer K-1: we have issued you invoice FV/00011/12/2026 for 123,45 zl, due by "
                       "19.12.2026. To switch these SMS off: Settings in IBOK.")
    assert polish == ("IBOK, Klient K-1: wystawilismy Panstwu fakture FV/00011/12/2026 na kwote 123,45 zl, platna "
                      "do 19.12.2026. Wylaczenie SMS: Ustawienia w IBOK.")


def test_the_offices_change_of_address_is_told_in_each_accounts_language(portal, mailbox):
    english_account(portal, "moved-en")
    polish_account(portal, "moved-pl")
    runner = portal.test_cli_runner()
    assert runner.invoke(args=["accounts", "set-email", "moved-en", "new-en@example.org"]).exit_code == 0
    assert runner.invoke(args=["accounts", "set-email", "moved-pl", "new-pl@example.org"]).exit_code == 0
    mails = by_recipient(mailbox)
    english_subject = "The e-mail address of your account in the customer portal (IBOK) has been changed"
    assert [mails[to]["Subject"] for to in ("moved-en@example.com", "new-en@example.org")] == [english_subject] * 2
    assert (f"The e-mail address of your account moved-en in the customer portal (IBOK) of {UTILITY} was changed "
            "to this address on") in mails["new-en@example.org"].get_content()
    polish_subject = "Adres e-mail konta w Internetowym Biurze Obsługi Klienta (IBOK) został zmieniony"
    assert [mails[to]["Subject"] for to in ("moved-pl@example.com", "new-pl@example.org")] == [polish_subject] * 2


def test_a_reset_link_goes_in_the_accounts_language_not_the_askers(portal, mailbox):
    english_account(portal, "forgot-en")
    polish_account(portal, "forgot-pl")
    english_visitor = portal.test_client()
    english_visitor.post("/language", data={"language": "en"})
    portal.test_client().post("/password-reset", data={"login_or_email": "forgot-en"}, buffered=True)
    english_visitor.post("/password-reset", data={"login_or_email": "forgot-pl"}, buffered=True)
    mails = by_recipient(mailbox)
    english = mails["forgot-en@example.com"]
    assert english["Subject"] == "Setting a new password in the customer portal (IBOK)"
    assert ("Someone (hopefully you) asked to set a new password for the login forgot-en in the customer portal "
            "(IBOK).") in english.get_content()
    polish = mails["forgot-pl@example.com"]
    assert polish["Subject"] == "Ustawienie nowego hasła w Internetowym Biurze Obsługi Klienta (IBOK)"
    assert ("otrzymaliśmy prośbę o ustawienie nowego hasła dla loginu forgot-pl w Internetowym Biurze Obsługi "
            "Klienta (IBOK).") in polish.get_content()


def test_the_offices_new_one_time_password_goes_in_the_accounts_language(portal, mailbox):
    english_account(portal, "renewed-en")
    runner = portal.test_cli_runner()
    assert runner.invoke(args=["accounts", "reset-password", "renewed-en"]).exit_code == 0
    [message] = mailbox.received
    assert message["Subject"] == "Your access to the customer portal (IBOK)"
    assert (f"Here is a new one-time password for the customer portal (IBOK) of {UTILITY}; your previous password "
            "no longer works.") in message.get_content()


@pytest.mark.empty_database
def test_accounts_kept_before_0012_have_no_language(config, erp):
    app = app_with_an_old_account(config, erp, "0011")
    upgrade_database(app)
    with engine_of(app).connect() as connection:
        rows = connection.execute(text("SELECT id, language FROM accounts")).all()
    engine_of(app).dispose()
    assert [tuple(row) for row in rows] == [(7, None)]
