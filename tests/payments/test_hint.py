"""The account's payment hint: pages of customers who never paid online run no payments query, and a payment
started by one account shows on every account of the customer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

import pytest
from flask import Flask
from sqlalchemy import event, update

from gateway.accounts.links import link_customer
from gateway.clock import utcnow
from gateway.db.database import db, engine_of
from gateway.db.models import Account, AccountLink
from gateway.payments.hint import NO_PAYMENT, learn
from tests.payments.fixtures import NOWAKS, UNPAID, start_payment
from tests.portal_fixtures import add_account, sign_in


def _hints(app: Flask, value: datetime | None) -> None:
    with app.app_context():
        db().execute(update(Account).values(last_payment_at=value))
        db().commit()


def _hint_of(app: Flask, login: str) -> datetime | None:
    with app.app_context():
        return db().query(Account).filter_by(login=login).one().last_payment_at


@pytest.fixture
def payments_queries(app: Flask) -> Iterator[list[str]]:
    """The SQL statements that read the payments table, as the engine sends them."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "FROM payments" in statement:
            seen.append(statement)

    event.listen(engine_of(app), "before_cursor_execute", note)
    yield seen
    event.remove(engine_of(app), "before_cursor_execute", note)


def test_an_unknown_hint_is_learnt_once_then_the_query_is_skipped(app, kowalski, payments_queries):
    _hints(app, None)
    assert kowalski.get("/invoices/").status_code == 200
    assert payments_queries and _hint_of(app, "kowalski") == NO_PAYMENT
    payments_queries.clear()
    assert kowalski.get("/invoices/").status_code == 200 and kowalski.get("/settlements/").status_code == 200
    assert payments_queries == []


def test_a_hint_older_than_the_window_skips_the_query(app, kowalski, payments_queries):
    _hints(app, utcnow() - timedelta(days=61))  # the window is PAYMENT_STATES_DAYS = 60
    assert kowalski.get("/invoices/").status_code == 200
    assert payments_queries == []


def test_a_payment_shows_on_every_account_of_the_customer(app, kowalski, operator):
    add_account(app, login="kowalska", customer_id="K-1001", email="anna.kowalska@example.com")
    _hints(app, NO_PAYMENT)
    other = app.test_client()
    assert sign_in(other, login="kowalska").status_code == 302
    operator.choose(start_payment(kowalski, UNPAID).headers["Location"], "pay")
    noted = _hint_of(app, "kowalska")
    assert noted is not None and noted > NO_PAYMENT
    assert _hint_of(app, "nowak") == NO_PAYMENT  # another customer's accounts are not touched
    page = other.get(f"/invoices/{UNPAID}").get_data(as_text=True)
    assert "Opłacono online i przekazano do przedsiębiorstwa" in page


def test_a_payment_started_while_the_hint_is_learnt_is_not_hidden(app, kowalski):
    """`learn` writes only where the hint is still unknown: a payment noted meanwhile keeps its time."""
    started = utcnow()
    _hints(app, started)
    with app.test_request_context():
        account = db().query(Account).filter_by(login="kowalski").one()
        assert account.links == []
        db().expunge(account)  # detached, as every request's account is (gateway/web/sessions.py)
        account.last_payment_at = None  # as loaded before the payment was noted
        learn(account)
    assert _hint_of(app, "kowalski") == started


def test_the_start_page_asks_the_erp_for_the_invoices_once(app, kowalski):
    """The payment states take the invoice list the start page already has: no second round of ERP calls."""
    _hints(app, utcnow())  # a payment may be there: the states are looked up
    calls = app.extensions["billing"].calls  # the ScriptedBilling of tests/payments/fixtures.py, no cache before it
    calls.clear()
    assert kowalski.get("/").status_code == 200
    assert [name for name, _args in calls].count("list_invoices") == 1


def test_a_payment_reaches_the_hint_of_accounts_linked_to_the_customer(app, nowak, operator):
    manager = add_account(app, login="zarzadca-hint", customer_id="K-1004", email="zarzadca@example.com")
    with app.app_context():
        db().add(AccountLink(account_id=manager, customer_id="K-1002"))
        db().commit()
    _hints(app, NO_PAYMENT)
    operator.choose(start_payment(nowak, NOWAKS).headers["Location"], "pay")
    noted = _hint_of(app, "zarzadca-hint")
    assert noted is not None and noted > NO_PAYMENT and _hint_of(app, "kowalski") == NO_PAYMENT


def test_linking_a_customer_makes_the_hint_unknown_again(app):
    add_account(app, login="zarzadca-link", customer_id="K-1004", email="zarzadca@example.com")
    _hints(app, NO_PAYMENT)
    with app.app_context():
        link_customer("zarzadca-link", "K-1002")
    assert _hint_of(app, "zarzadca-link") is None
