"""`flask accounts …`: staff create accounts for ERP customers and the one-time password goes out by e-mail."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from gateway.accounts.audit import masked_addresses
from gateway.accounts.service import get_account
from gateway.db.database import db
from gateway.db.models import Account, AuditEntry
from tests.portal.conftest import sign_in


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["accounts", *args])


def _one_time_password(message) -> str:
    match = re.search(r"Hasło jednorazowe: (\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def _logins(app):
    with app.app_context():
        return [account.login for account in db().scalars(select(Account))]


def test_create_mails_the_login_and_a_one_time_password_in_polish(app, client, run, mailbox):
    result = run("create", "--customer", "K-1001")
    assert result.exit_code == 0, result.output
    assert "created k1001 for customer K-1001; one-time password sent to jan.kowalski@example.com" in result.output
    (message,) = mailbox.received
    assert message["To"] == "jan.kowalski@example.com"
    assert message["Subject"] == "Dostęp do Internetowego Biura Obsługi Klienta (IBOK)"
    body = message.get_content()
    assert "Login: k1001" in body and "http://portal.test" in body and "14 dni" in body
    password = _one_time_password(message)
    assert password not in result.output
    assert sign_in(client, login="k1001", password=password).location == "/"
    assert client.get("/").location == "/welcome"


def test_create_with_a_given_login_and_email(app, run, mailbox):
    result = run("create", "--customer", "K-1002", "--login", "Anna.Nowak", "--email", "anna@example.org")
    assert result.exit_code == 0, result.output
    assert _logins(app) == ["anna.nowak"]
    assert mailbox.received[0]["To"] == "anna@example.org"


def test_generated_logins_do_not_collide(app, run):
    run("create", "--customer", "K-1001")
    run("create", "--customer", "K-1001")
    assert sorted(_logins(app)) == ["k1001", "k1001-2"]


def test_create_for_a_customer_the_erp_does_not_know_fails_clearly(app, run, mailbox):
    result = run("create", "--customer", "K-9999")
    assert result.exit_code == 1
    assert "Error: the ERP has no customer 'K-9999'" in result.output
    assert _logins(app) == [] and mailbox.received == []


def test_a_duplicate_login_fails_clearly(app, run):
    run("create", "--customer", "K-1001", "--login", "kowalski")
    result = run("create", "--customer", "K-1002", "--login", "KOWALSKI")
    assert result.exit_code == 1
    assert "Error: login 'kowalski' is already taken" in result.output
    assert _logins(app) == ["kowalski"]


@pytest.mark.parametrize("login", ["a", "-dash-first", "spaces in it", "ąę-polish"])
def test_a_malformed_login_is_refused(run, login):
    result = run("create", "--customer", "K-1001", "--login", login)
    assert result.exit_code == 1 and "is not allowed" in result.output


def test_an_email_refused_by_the_mail_server_leaves_no_account(app, run, mailbox):
    mailbox.refused.add("jan.kowalski@example.com")
    result = run("create", "--customer", "K-1001")
    assert result.exit_code == 1
    assert "e-mail not sent, nothing changed: the mail server refused jan.kowalski@example.com: 550" in result.output
    assert _logins(app) == []


def test_an_unreachable_mail_server_fails_clearly(app, run, config):
    with socket_that_refuses() as port:
        app.config["MAIL_PORT"] = port
        result = run("create", "--customer", "K-1001")
    assert result.exit_code == 1
    assert "cannot reach the mail server 127.0.0.1:" in result.output
    assert _logins(app) == []


def test_a_malformed_email_is_refused(run):
    result = run("create", "--customer", "K-1001", "--email", "not-an-address")
    assert result.exit_code == 1 and "is not an e-mail address" in result.output


def test_reset_password_mails_a_new_one_time_password_and_ends_sessions(app, client, run, mailbox, make_account):
    make_account()
    sign_in(client)
    result = run("reset-password", "kowalski")
    assert result.exit_code == 0, result.output
    assert client.get("/").status_code == 302
    password = _one_time_password(mailbox.received[0])
    assert "Kanalizacja Sp. z o.o.; dotychczasowe hasło przestało działać." in mailbox.received[0].get_content()
    assert sign_in(client, password=password).location == "/"
    assert client.get("/").location == "/welcome"


def test_reset_password_refused_by_the_mail_server_keeps_the_old_password(client, run, mailbox, make_account):
    make_account()
    mailbox.refused.add("jan.kowalski@example.com")
    result = run("reset-password", "kowalski")
    assert result.exit_code == 1 and "550" in result.output
    assert sign_in(client).location == "/"


def test_unknown_login_fails_clearly_for_every_command(run):
    for command in (["reset-password", "ghost"], ["lock", "ghost"], ["unlock", "ghost"], ["delete", "ghost", "--yes"]):
        result = run(*command)
        assert result.exit_code == 1 and "Error: no account with login 'ghost'" in result.output


def test_lock_stops_sign_in_and_unlock_restores_it(client, run, make_account):
    make_account()
    assert run("lock", "kowalski").output == "locked kowalski\n"
    assert sign_in(client).status_code == 403
    assert run("unlock", "kowalski").output == "unlocked kowalski\n"
    assert sign_in(client).location == "/"


def test_list_shows_one_line_per_account(run, make_account):
    make_account()
    make_account(login="nowy", customer_id="K-1003", one_time=True, terms=False, email="piotr.nowy@example.com")
    lines = run("list").output.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[:4] == ["kowalski", "K-1001", "jan.kowalski@example.com", "active"]
    assert "one-time password" in lines[1] and "never signed in" in lines[1]
    assert run("list", "--customer", "K-1003").output.splitlines()[0].startswith("nowy")


def test_delete_removes_the_account_but_keeps_its_audit_trail(app, run, make_account):
    make_account()
    result = run("delete", "kowalski", "--yes")
    assert result.exit_code == 0 and result.output == "deleted kowalski\n"
    assert _logins(app) == []
    with app.app_context():
        entry = db().scalars(select(AuditEntry).where(AuditEntry.action == "account.deleted")).one()
        assert entry.login == "kowalski" and entry.actor.startswith("staff")


def test_delete_asks_for_confirmation(app, run, make_account):
    make_account()
    assert run("delete", "kowalski").exit_code == 1
    assert _logins(app) == ["kowalski"]


def test_staff_actions_are_audited_as_staff(app, run):
    run("create", "--customer", "K-1001")
    run("lock", "k1001")
    with app.app_context():
        entries = db().scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries] == ["account.created", "account.locked"]
    assert all(entry.actor.startswith("staff") and entry.client_address is None for entry in entries)


def test_the_audit_log_keeps_e_mail_addresses_only_masked(app, run, mailbox):
    """Enough for staff to recognise an address, not a copy of the customer's data outliving the account."""
    run("create", "--customer", "K-1001")
    run("reset-password", "k1001")
    run("set-email", "k1001", "nowy.adres@example.org")
    with app.app_context():
        entries = db().scalars(select(AuditEntry).where(AuditEntry.action.like("account.%"))).all()
        email = get_account("k1001").email
    details = {entry.action: json.loads(entry.detail) for entry in entries}
    assert details["account.created"]["email"] == details["account.one_time_password_sent"]["email"] == "j…@example.com"
    assert (details["account.email_changed"]["old"], details["account.email_changed"]["new"]) == (
        "j…@example.com", "n…@example.org")
    assert email == "nowy.adres@example.org"
    assert not any("jan.kowalski@" in entry.detail or "nowy.adres" in entry.detail for entry in entries)


@pytest.mark.parametrize(("text", "kept"), [
    ("jan.kowalski@example.com", "j…@example.com"),
    ("the mail server refused <a.b+c@mail.example.org>: 550 5.1.1 <a.b+c@mail.example.org> unknown",
     "the mail server refused <a…@mail.example.org>: 550 5.1.1 <a…@mail.example.org> unknown"),
    ("j…@example.com", "j…@example.com"),
    ("kowalski", "kowalski"),
    ("cannot reach the mail server 127.0.0.1:25: refused", "cannot reach the mail server 127.0.0.1:25: refused"),
])
def test_e_mail_addresses_are_masked_wherever_they_stand_in_an_audited_text(text, kept):
    assert masked_addresses(text) == kept


class socket_that_refuses:  # noqa: N801
    """A loopback port with nothing listening: connecting is refused at once."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return int(self.sock.getsockname()[1])

    def __exit__(self, *exc) -> None:
        self.sock.close()


def test_set_email_changes_where_mail_goes(app, client, run, mailbox, make_account):
    make_account()
    result = run("set-email", "kowalski", "jan@example.org")
    assert result.output == "kowalski now receives e-mail at jan@example.org\n"
    client.post("/password-reset", data={"login_or_email": "kowalski"}, follow_redirects=True)
    # After the two notices of the change (to the old address and the new one): the link, to the new one only.
    assert mailbox.received[-1]["To"] == "jan@example.org" and "/password-reset/" in mailbox.received[-1].get_content()
    assert run("set-email", "kowalski", "nonsense").exit_code == 1
