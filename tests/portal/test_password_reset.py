"""Password reset: a time-limited, single-use e-mailed link; the answer never reveals whether an account exists."""

from __future__ import annotations

import logging
import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from gateway.db.database import db
from gateway.db.models import Account, AuditEntry
from tests.portal.conftest import PASSWORD, sign_in

NEW = "Zupelnie-nowe-haslo-42"
SAME_ANSWER = "Jeśli podane dane pasują do konta, wysłaliśmy e-mail"


def _request(client, typed, **kwargs):
    return client.post("/password-reset", data={"login_or_email": typed}, follow_redirects=True, **kwargs)


def _answer(response) -> str:
    """The page as the customer reads it: the form's CSRF token is signed with the second it was made in."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', response.get_data(as_text=True))


def _link(message) -> str:
    body = message.get_content()
    match = re.search(r"http://portal\.test(/password-reset/\S+)", body)
    assert match, body
    return match.group(1)


def _set(client, path, password=NEW):
    return client.post(path, data={"new_password": password, "confirm_password": password})


@pytest.mark.parametrize("typed", ["kowalski", "Jan.Kowalski@example.com"])
def test_a_reset_link_is_mailed_for_a_login_or_an_email_address(client, make_account, mailbox, typed):
    make_account()
    response = _request(client, typed)
    assert SAME_ANSWER in response.get_data(as_text=True)
    assert len(mailbox.received) == 1
    message = mailbox.received[0]
    assert message["To"] == "jan.kowalski@example.com"
    assert message["Subject"] == "Ustawienie nowego hasła w Internetowym Biurze Obsługi Klienta (IBOK)"
    assert "kowalski" in message.get_content()


def test_unknown_login_gets_the_same_answer_and_no_mail(client, make_account, mailbox):
    make_account()
    known = _answer(_request(client, "kowalski"))
    unknown = _answer(_request(client, "nobody"))
    assert known == unknown
    assert len(mailbox.received) == 1


def test_link_is_built_from_the_portal_url_not_the_host_header(client, make_account, mailbox):
    make_account()
    _request(client, "kowalski", headers={"Host": "evil.example"})
    body = mailbox.received[0].get_content()
    assert "http://portal.test/password-reset/" in body and "evil.example" not in body


def test_the_link_sets_a_new_password_and_ends_every_session(app, client, make_account, mailbox):
    make_account()
    other_device = app.test_client()
    sign_in(other_device)
    _request(client, "kowalski")
    response = _set(client, _link(mailbox.received[0]))
    assert response.status_code == 302 and response.location == "/sign-in"
    assert other_device.get("/").status_code == 302
    assert sign_in(client).status_code == 200
    assert sign_in(client, password=NEW).location == "/"


def test_a_used_link_is_refused(client, make_account, mailbox):
    make_account()
    _request(client, "kowalski")
    link = _link(mailbox.received[0])
    assert _set(client, link).status_code == 302
    reused = _set(client, link, password="Yet-another-phrase-9")
    assert reused.status_code == 400
    assert "Link wygasł lub został już użyty" in reused.get_data(as_text=True)
    assert client.get(link).status_code == 400


def test_an_expired_link_is_refused(client, make_account, mailbox, monkeypatch):
    make_account()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 31 * 60)
    _request(client, "kowalski")
    monkeypatch.undo()
    link = _link(mailbox.received[0])
    assert client.get(link).status_code == 400
    assert _set(client, link).status_code == 400


def test_a_link_within_its_time_works(client, make_account, mailbox, monkeypatch):
    make_account()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 29 * 60)
    _request(client, "kowalski")
    monkeypatch.undo()
    assert client.get(_link(mailbox.received[0])).status_code == 200


def test_a_tampered_link_is_refused(client, make_account, mailbox):
    make_account()
    _request(client, "kowalski")
    link = _link(mailbox.received[0])
    assert client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 400
    assert client.get("/password-reset/nonsense").status_code == 400


def test_the_new_password_follows_the_policy(client, make_account, mailbox):
    make_account()
    _request(client, "kowalski")
    link = _link(mailbox.received[0])
    assert "należy do najpopularniejszych" in _set(client, link, "password1234").get_data(as_text=True)
    assert sign_in(client).location == "/"


def test_a_locked_account_gets_no_link(app, client, make_account, mailbox):
    make_account()
    with app.app_context():
        db().scalars(select(Account)).one().locked = True
        db().commit()
    assert SAME_ANSWER in _request(client, "kowalski").get_data(as_text=True)
    assert mailbox.received == []


def test_repeated_requests_stop_sending_mail(app, client, make_account, mailbox):
    app.config["THROTTLE_BASE_DELAY"] = 600  # however slow the machine, the five requests fall within it
    make_account()
    answers = {_answer(_request(client, "kowalski")) for _ in range(5)}
    assert len(answers) == 1
    assert len(mailbox.received) == 3


def test_a_refused_reset_mail_is_audited_and_the_answer_stays_the_same(app, client, make_account, mailbox, caplog):
    make_account()
    mailbox.refused.add("jan.kowalski@example.com")
    with caplog.at_level(logging.ERROR):
        assert SAME_ANSWER in _request(client, "kowalski").get_data(as_text=True)
    with app.app_context():
        actions = [entry.action for entry in db().scalars(select(AuditEntry))]
    assert "password_reset.mail_failed" in actions
    [line] = [record.getMessage() for record in caplog.records if "password reset mail" in record.getMessage()]
    assert line.endswith("not sent: the mail server did not take it (the audit log has why)")
    assert "@" not in line and "kowalski" not in line


def test_the_reset_page_keeps_the_password_out_of_the_audit_log(app, client, make_account, mailbox):
    make_account()
    _request(client, "kowalski")
    _set(client, _link(mailbox.received[0]))
    with app.app_context():
        stored = " ".join(entry.detail for entry in db().scalars(select(AuditEntry)))
    assert NEW not in stored and PASSWORD not in stored
