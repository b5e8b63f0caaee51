"""Unsubscribe without signing in: each reminder carries a signed link (also as RFC 8058 headers); opening it changes
nothing, confirming switches that kind off as a withdrawn consent; a forged or altered link is a Polish 404."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from gateway.db.database import db
from gateway.db.models import AuditEntry, ConsentRecord
from gateway.notify.model import Subscription
from tests.notify.conftest import ALL_KINDS, run_once, switch_on
from tests.portal_fixtures import add_account

NEW_INVOICE_SUBJECT = "Nowa faktura w Internetowym Biurze Obsługi Klienta (IBOK)"


def _link(mailbox: Any, subject: str = NEW_INVOICE_SUBJECT) -> str:
    mail = next(mail for mail in mailbox.received if mail["Subject"] == subject)
    return str(mail["List-Unsubscribe"]).strip("<>")


def _state(app: Any, account_id: int) -> tuple[set[str], list[tuple[str, bool]], list[str]]:
    with app.app_context():
        kinds = set(db().scalars(select(Subscription.kind).where(Subscription.account_id == account_id)))
        consents = [(record.document, record.granted) for record in db().scalars(
            select(ConsentRecord).where(ConsentRecord.document.like("e-mail-%")).order_by(ConsentRecord.id))]
        actions = list(db().scalars(select(AuditEntry.action).where(AuditEntry.action.like("notify.%"))))
    return kinds, consents, actions


@pytest.fixture
def customer(notify_app) -> int:
    """kowalski on K-1 with the new-invoice reminder alone switched on (one e-mail keeps these tests quick)."""
    account_id = add_account(notify_app, login="kowalski", customer_id="K-1", email="jan@example.com")
    switch_on(notify_app, account_id, {"new_invoice"})
    return account_id


@pytest.fixture
def sent(notify_app, erp, customer, mailbox) -> Any:
    """The new-invoice reminder delivered over SMTP to the suite's aiosmtpd server."""
    run_once(notify_app, erp)
    assert len(mailbox.received) == 1
    return mailbox


def test_each_email_carries_its_kinds_link_in_the_text_and_the_one_click_headers(notify_app, erp, mailbox):
    account_id = add_account(notify_app, login="kowalski", customer_id="K-1", email="jan@example.com")
    switch_on(notify_app, account_id, ALL_KINDS)
    run_once(notify_app, erp)
    assert len(mailbox.received) == 5
    for mail in mailbox.received:
        link = str(mail["List-Unsubscribe"]).strip("<>")
        assert link.startswith("http://portal.test/notifications/unsubscribe/")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in mail.get_content()
    assert len({str(mail["List-Unsubscribe"]) for mail in mailbox.received}) == 5


def test_opening_the_link_only_asks(notify_app, customer, sent):
    before = _state(notify_app, customer)
    page = notify_app.test_client().get(_link(sent).removeprefix("http://portal.test"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Czy chcą Państwo zrezygnować z tych wiadomości: Nowa faktura?" in text and 'method="post"' in text
    assert _state(notify_app, customer) == before


def test_confirming_switches_the_kind_off_as_a_withdrawn_consent_once(notify_app, erp, customer, sent):
    path = _link(sent).removeprefix("http://portal.test")
    client = notify_app.test_client()
    for _ in range(2):
        answer = client.post(path)
        assert answer.status_code == 200
        assert "Nie będziemy już wysyłać Państwu tych wiadomości: Nowa faktura." in answer.get_data(as_text=True)
    kinds, consents, actions = _state(notify_app, customer)
    assert kinds == set()
    assert consents.count(("e-mail-nowa-faktura", False)) == 1 and consents[-1] == ("e-mail-nowa-faktura", False)
    assert actions.count("notify.switched_off") == 1


def test_a_mail_clients_one_click_post_needs_no_form_token(notify_app, customer, sent):
    notify_app.config["WTF_CSRF_ENABLED"] = True
    answer = notify_app.test_client().post(_link(sent).removeprefix("http://portal.test"),
                                           data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert "new_invoice" not in _state(notify_app, customer)[0]


def _forged(notify_app: Any, customer: int, sent: Any) -> list[str]:
    token = _link(sent).rsplit("/", 1)[1]
    with notify_app.app_context():
        secret = notify_app.config["SECRET_KEY"]
        other_salt = URLSafeSerializer(secret, salt="password-reset").dumps([customer, "reply"])
        other_key = URLSafeSerializer("not-the-portals-key", salt="ibok-notify-unsubscribe").dumps([customer, "reply"])
        unknown_kind = URLSafeSerializer(secret, salt="ibok-notify-unsubscribe").dumps([customer, "sms"])
    body, signature = token.rsplit(".", 1)
    return [body + "." + signature[::-1], token[:-2], other_salt, other_key, unknown_kind, "x"]


def test_a_forged_or_altered_link_is_a_polish_404_and_changes_nothing(notify_app, customer, sent):
    before = _state(notify_app, customer)
    client = notify_app.test_client()
    for token in _forged(notify_app, customer, sent):
        for answer in (client.get(f"/notifications/unsubscribe/{token}"),
                       client.post(f"/notifications/unsubscribe/{token}")):
            assert answer.status_code == 404, token
            assert "Nie ma takiej strony" in answer.get_data(as_text=True)
    assert _state(notify_app, customer) == before


def test_after_unsubscribing_the_next_news_of_that_kind_is_not_sent(notify_app, erp, customer, sent):
    notify_app.test_client().post(_link(sent).removeprefix("http://portal.test"))
    sent.received.clear()
    invoices = erp.data["K-1"]["list_invoices"]
    invoices.append(dataclasses.replace(invoices[0], id="INV-NEW", number="FV/00099/12/2026"))
    run_once(notify_app, erp)
    assert sent.received == []


def test_the_link_names_no_person(sent):
    assert not re.search(r"kowalski|jan", _link(sent), re.IGNORECASE)
