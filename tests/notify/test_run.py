"""`flask notify run`: each kind of news sent once, only what is new since the switch, nothing to those who should
not get it, and a failing ERP or mail server costs one customer or one reminder, never the run."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select, update

from adapters.core.errors import ErpUnavailable
from gateway import clock
from gateway.db.models import Account
from gateway.notify.model import SENT, LedgerEntry
from tests.notify.conftest import ALL_KINDS, TODAY, news, run_once, switch_on
from tests.portal.test_register import informal_words
from tests.portal_fixtures import add_account

SUBJECTS = {
    "Nowa faktura w Internetowym Biurze Obsługi Klienta (IBOK)": ["FV/00011/12/2026", "123,45 zł", "19.12.2026"],
    "Zbliża się termin płatności": ["FV/00013/12/2026", "50,00 zł", "12.12.2026"],
    "Minął termin płatności": ["FV/00015/12/2026", "40,00 zł", "08.12.2026"],
    "Mogą już Państwo podać odczyt wodomierza": ["Wodomierz: SW-1-ACTIVE"],
    "Biuro Obsługi Klienta odpowiedziało na Państwa wiadomość": ["(sprawa ZG/2026/00001)"],
}


def _mails(mailbox: Any) -> dict[str, str]:
    return {str(mail["Subject"]): mail.get_content() for mail in mailbox.received}


def test_each_kind_of_news_is_sent_once_in_polish_with_only_the_facts_needed(notify_app, erp, customer, mailbox):
    first = run_once(notify_app, erp)
    second = run_once(notify_app, erp)
    mails = _mails(mailbox)
    assert sorted(mails) == sorted(SUBJECTS) and len(mailbox.received) == 5
    for subject, facts in SUBJECTS.items():
        assert all(fact in mails[subject] for fact in facts), mails[subject]
        assert "Państw" in mails[subject] and "Jan" not in mails[subject]
        assert "Numer Klienta: K-1" in mails[subject].splitlines() and "Adres posesji" not in mails[subject]
    assert "SW-1-REMOVED" not in mails["Mogą już Państwo podać odczyt wodomierza"]
    assert (first.sent, second.sent) == (5, 0)
    assert {mail["To"] for mail in mailbox.received} == {"jan@example.com"}


def test_everything_older_than_the_switch_is_left_alone_on_the_first_run(notify_app, erp, customer, mailbox):
    """Invoices of November, a debt overdue since 21 November, a reply of 2 November: none is sent."""
    run_once(notify_app, erp)
    text = "".join(_mails(mailbox).values())
    for old in ("FV/00012/12/2026", "FV/00014/12/2026", "FV/00016/12/2026", "FV/00017/12/2026", "ZG/2026/99999"):
        assert old not in text


def test_a_kind_switched_on_today_sends_nothing_that_happened_before(notify_app, erp, mailbox):
    account_id = add_account(notify_app, login="kowalski", customer_id="K-1", email="jan@example.com")
    switch_on(notify_app, account_id, ALL_KINDS, at=clock.utcnow().replace(year=2026, month=12, day=10, hour=23))
    assert run_once(notify_app, erp).sent == 0 and mailbox.received == []


def test_only_the_kinds_switched_on_are_sent_and_only_their_erp_reads_are_made(notify_app, erp, mailbox):
    account_id = add_account(notify_app, login="kowalski", customer_id="K-1", email="jan@example.com")
    switch_on(notify_app, account_id, {"due_soon", "overdue"})
    run_once(notify_app, erp)
    assert sorted(_mails(mailbox)) == ["Minął termin płatności", "Zbliża się termin płatności"]
    assert erp.calls == [("get_settlements", "K-1")]


def test_nothing_goes_to_a_locked_account_one_without_an_address_or_one_that_switched_everything_off(
        notify_app, erp, mailbox):
    erp.data.update({"K-2": news(2), "K-3": news(3)})
    locked = add_account(notify_app, login="locked", customer_id="K-1", email="locked@example.com")
    silent = add_account(notify_app, login="silent", customer_id="K-2", email="")
    off = add_account(notify_app, login="off", customer_id="K-3", email="off@example.com")
    for account_id in (locked, silent, off):
        switch_on(notify_app, account_id, ALL_KINDS)
    with notify_app.app_context():
        from gateway.db.database import db
        from gateway.notify.subscriptions import switch

        db().execute(update(Account).where(Account.id == locked).values(locked=True))
        account = db().get(Account, off)
        assert account is not None
        for kind in ALL_KINDS:
            switch(account, kind, False, via="test")
        db().commit()
    assert run_once(notify_app, erp).sent == 0 and mailbox.received == []
    assert erp.calls == []


def test_the_erp_failing_for_one_customer_skips_only_that_customer_and_logs_no_personal_data(
        notify_app, erp, mailbox, caplog):
    erp.data.update({"K-2": news(2), "K-3": news(3)})
    for number in (1, 2, 3):
        account_id = add_account(notify_app, login=f"customer{number}", customer_id=f"K-{number}",
                                 email=f"customer{number}@example.com")
        switch_on(notify_app, account_id, {"new_invoice"})
    erp.failing["K-2"] = ErpUnavailable("list_invoices", "timed out")
    with caplog.at_level(logging.WARNING, logger="gateway.notify"):
        totals = run_once(notify_app, erp)
    assert sorted(mail["To"] for mail in mailbox.received) == ["customer1@example.com", "customer3@example.com"]
    assert (totals.customers, totals.skipped, totals.sent) == (3, 1, 2)
    assert "ErpUnavailable" in caplog.text and "K-2" not in caplog.text and "customer2" not in caplog.text
    del erp.failing["K-2"]
    assert run_once(notify_app, erp).sent == 1  # the next run catches up with the skipped customer
    assert mailbox.received[-1]["To"] == "customer2@example.com"


def test_a_reminder_the_mail_server_refused_is_tried_again_by_the_next_run(notify_app, erp, customer, mailbox):
    mailbox.refused.add("jan@example.com")
    assert run_once(notify_app, erp).refused == 5
    with notify_app.app_context():
        from gateway.db.database import db

        assert db().scalars(select(LedgerEntry)).all() == []
    mailbox.refused.clear()
    assert run_once(notify_app, erp).sent == 5 and len(mailbox.received) == 5


def test_the_ledger_marks_each_sent_reminder_with_its_time(notify_app, erp, customer):
    run_once(notify_app, erp)
    with notify_app.app_context():
        from gateway.db.database import db

        rows = db().scalars(select(LedgerEntry).order_by(LedgerEntry.kind)).all()
    assert [(row.kind, row.key, row.state) for row in rows] == [
        ("due_soon", "INV-13:2026-12-12", SENT),
        ("new_invoice", "INV-11", SENT),
        ("overdue", "INV-15:2026-12-08", SENT),
        ("reading_window", "2026-12-08", SENT),
        ("reply", "MSG-1:2026-12-03T09:00:00", SENT),
    ]
    assert all(row.sent_at is not None and row.sent_at >= row.claimed_at for row in rows)


def test_outside_the_reading_window_the_meters_are_not_asked_for(notify_app, erp, mailbox):
    account_id = add_account(notify_app, login="kowalski", customer_id="K-1", email="jan@example.com")
    switch_on(notify_app, account_id, {"reading_window"})
    assert run_once(notify_app, erp, today=TODAY.replace(day=20)).sent == 0
    assert erp.calls == []


def test_every_reminder_speaks_formally(notify_app, erp, customer, mailbox):
    run_once(notify_app, erp)
    assert len(mailbox.received) == 5
    for mail in mailbox.received:
        assert informal_words(f"{mail['Subject']}\n{mail.get_content()}") == [], mail["Subject"]
