"""Accounts for customers the ERP holds no PESEL, NIP or e-mail for (K-1006), and the customer number proved by
the number of one of the customer's invoices instead."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.db.database import db
from gateway.db.models import Account


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["accounts", *args])


def _accounts(app):
    with app.app_context():
        return [(account.login, account.customer_id, account.email) for account in db().scalars(select(Account))]


def test_an_account_is_created_for_a_customer_without_pesel_nip_or_email(app, run, mailbox):
    result = run("create", "--customer", "K-1006", "--email", "teresa@example.org")
    assert result.exit_code == 0, result.output
    assert _accounts(app) == [("k1006", "K-1006", "teresa@example.org")]
    assert mailbox.received[0]["To"] == "teresa@example.org"


def test_without_an_email_in_the_erp_or_given_nothing_is_created(app, run, mailbox):
    result = run("create", "--customer", "K-1006")
    assert result.exit_code == 1
    assert "the ERP holds no e-mail address for K-1006: give one with --email" in result.output
    assert _accounts(app) == [] and mailbox.received == []


def test_one_of_the_customers_invoice_numbers_proves_the_customer_number(app, run, mailbox):
    for number in ("FV/1006/11/2026", "fv/1006/09/2026 "):
        result = run("create", "--customer", "K-1006", "--email", "teresa@example.org", "--invoice", number)
        assert result.exit_code == 0, result.output
    assert sorted(_accounts(app)) == [("k1006", "K-1006", "teresa@example.org"),
                                      ("k1006-2", "K-1006", "teresa@example.org")]


def test_an_invoice_number_the_customer_does_not_have_creates_nothing(app, run, mailbox):
    """FV/00161/11/2026 is K-1003's: a customer number written wrong on the agreement is caught."""
    for number in ("FV/00161/11/2026", "FV/1006/12/2026", " "):
        result = run("create", "--customer", "K-1006", "--email", "teresa@example.org", "--invoice", number)
        assert result.exit_code == 1
        assert f"customer 'K-1006' has no invoice {number!r} in the ERP" in result.output
    assert _accounts(app) == [] and mailbox.received == []
