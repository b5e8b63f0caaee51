"""A notice by e-mail after the password or the account's e-mail address changes (ASVS 5.0 6.3.7): what changed,
when in Polish time, through which action, whom to call if it was not the customer; no password, no link."""

from __future__ import annotations

import json
import logging
from datetime import datetime

import pytest
from sqlalchemy import select

from gateway.accounts import password_change, service
from gateway.db.database import db
from gateway.db.models import AuditEntry
from tests.matching import search
from tests.portal.conftest import PASSWORD, sign_in
from tests.portal.test_register import informal_words
from tests.portal_fixtures import _free_port

NEW = "Zupelnie-nowe-haslo-42"
OLD_ADDRESS, NEW_ADDRESS = "jan.kowalski@example.com", "nowy.adres@example.org"
PHONE = "+48 77 461 00 00"
PASSWORD_SUBJECT = "Hasło do Internetowego Biura Obsługi Klienta (IBOK) zostało zmienione"
EMAIL_SUBJECT = "Adres e-mail konta w Internetowym Biurze Obsługi Klienta (IBOK) został zmieniony"
NOT_YOU_CALL = ("Jeśli to nie Państwo zmienili hasło, prosimy niezwłocznie zadzwonić do biura obsługi klienta, "
                "tel. +48 77 461 00 00: zablokujemy konto i prześlemy nowe hasło jednorazowe.")
NO_LINK = "Dla Państwa bezpieczeństwa ta wiadomość nie zawiera hasła ani linku."


@pytest.fixture
def config(config):
    return {**config, "UTILITY_PHONE": PHONE}


def _at(monkeypatch, module, moment: datetime) -> None:
    monkeypatch.setattr(module, "utcnow", lambda: moment)


def _change(client):
    """Buffered, so the response is closed as a server closes it: the notice goes out then."""
    return client.post("/settings/password", data={"current_password": PASSWORD, "new_password": NEW,
                                                   "confirm_password": NEW}, buffered=True)


def _audited(app, action):
    with app.app_context():
        entries = db().scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [json.loads(entry.detail) for entry in entries]


def _assert_plain_notice(body: str) -> None:
    """Never the password, never a link of any kind, always formal."""
    assert NO_LINK in body
    assert PASSWORD not in body and NEW not in body
    assert "http" not in body and "portal.test" not in body
    assert informal_words(body) == []


def test_a_password_changed_in_the_settings_is_told_with_the_polish_time_and_whom_to_call(
        signed_in, mailbox, monkeypatch):
    _at(monkeypatch, password_change, datetime(2026, 7, 1, 22, 30))  # 00:30 the next day in Warsaw (CEST)
    assert _change(signed_in).status_code == 302
    [message] = mailbox.received
    body = message.get_content()
    assert message["To"] == OLD_ADDRESS and message["Subject"] == PASSWORD_SUBJECT
    assert ("hasło do Państwa konta kowalski w Internetowym Biurze Obsługi Klienta (IBOK) Strzeleckie Wodociągi i "
            "Kanalizacja Sp. z o.o. zostało zmienione 02.07.2026 00:30 (czas polski).") in body
    assert ("Hasło zmieniono w ustawieniach portalu, po zalogowaniu się na Państwa konto dotychczasowym "
            "hasłem.") in body
    assert NOT_YOU_CALL in body
    _assert_plain_notice(body)


def test_a_password_set_through_a_reset_link_is_told_as_such(client, make_account, mailbox, monkeypatch):
    make_account()
    client.post("/password-reset", data={"login_or_email": "kowalski"}, buffered=True)
    path = search(r"http://portal\.test(/password-reset/\S+)", mailbox.received[0].get_content()).group(1)
    _at(monkeypatch, password_change, datetime(2026, 12, 6, 7, 5))  # 08:05 in Warsaw (CET)
    assert client.post(path, data={"new_password": NEW, "confirm_password": NEW}, buffered=True).status_code == 302
    [_link, notice] = mailbox.received
    body = notice.get_content()
    assert notice["To"] == OLD_ADDRESS and notice["Subject"] == PASSWORD_SUBJECT
    assert "zostało zmienione 06.12.2026 08:05 (czas polski)." in body
    assert ("Hasło ustawiono za pomocą linku do ustawienia nowego hasła, który wysłaliśmy na Państwa adres "
            "e-mail.") in body
    assert NOT_YOU_CALL in body
    _assert_plain_notice(body)


def test_an_address_changed_by_the_office_is_told_to_the_old_address_and_the_new_one(
        app, make_account, mailbox, monkeypatch):
    make_account()
    app.config["UTILITY_PHONE"] = ""  # then the office's e-mail and address instead
    _at(monkeypatch, service, datetime(2026, 12, 6, 7, 5))
    result = app.test_cli_runner().invoke(args=["accounts", "set-email", "kowalski", NEW_ADDRESS])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    notices = {message["To"]: message for message in mailbox.received}
    assert sorted(notices) == [OLD_ADDRESS, NEW_ADDRESS]
    assert {message["Subject"] for message in notices.values()} == {EMAIL_SUBJECT}
    old, new = notices[OLD_ADDRESS].get_content(), notices[NEW_ADDRESS].get_content()
    assert ("został zmieniony 06.12.2026 08:05 (czas polski). Wiadomości z portalu trafiają teraz na nowy adres, "
            "n…@example.org; ta wiadomość jest ostatnią wysłaną na ten adres.") in old
    assert NEW_ADDRESS not in old
    assert "został 06.12.2026 08:05 (czas polski) zmieniony na ten adres." in new
    for body in (old, new):
        assert "Zmiany dokonało biuro obsługi klienta." in body
        assert ("Jeśli nie prosili Państwo o tę zmianę, prosimy niezwłocznie skontaktować się z biurem obsługi "
                "klienta (swik@swik.com.pl, ul. Mickiewicza 10, 47-100 Strzelce Opolskie).") in body
        _assert_plain_notice(body)


def test_a_mail_server_that_is_down_leaves_the_new_password_standing_and_logs_no_address(
        app, signed_in, mailbox, caplog):
    app.config["MAIL_PORT"] = _free_port()  # nothing listens there
    with caplog.at_level(logging.INFO):
        assert _change(signed_in).status_code == 302
    assert mailbox.received == []
    signed_in.post("/sign-out")
    assert sign_in(signed_in, password=NEW).location == "/"
    [failure] = _audited(app, "account.change_notice_failed")
    assert failure["change"] == "password" and failure["via"] == "settings" and "cannot reach" in failure["error"]
    [line] = [record.getMessage() for record in caplog.records if record.getMessage().startswith("notice of")]
    assert line.startswith("notice of a password change (settings) for account ")
    assert line.endswith("not sent to its account address: the mail server did not take it (the audit log has why)")
    assert "kowalski" not in line and "@" not in line


def test_an_old_address_the_mail_server_refuses_leaves_the_new_address_in_place(app, make_account, mailbox):
    make_account()
    mailbox.refused.add(OLD_ADDRESS)
    result = app.test_cli_runner().invoke(args=["accounts", "set-email", "kowalski", NEW_ADDRESS])
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"the notice of the change was not sent to {OLD_ADDRESS}: the mail server did not take "
                             "it (the audit log has why); tell the customer another way\n")
    assert [message["To"] for message in mailbox.received] == [NEW_ADDRESS]
    with app.app_context():
        assert service.get_account("kowalski").email == NEW_ADDRESS
    [failure] = _audited(app, "account.change_notice_failed")
    assert failure["recipient"] == "previous address" and "550" in failure["error"]
    assert OLD_ADDRESS not in failure["error"] and f"{OLD_ADDRESS[0]}…@{OLD_ADDRESS.split('@')[1]}" in failure["error"]
    assert [sent["recipient"] for sent in _audited(app, "account.change_notice_sent")] == ["account address"]
