"""The office's commands and the production check of the payment settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from gateway.clock import utcnow
from gateway.config_check import production_problems
from gateway.db.database import db
from gateway.payments.model import Payment
from tests.payments.fixtures import PARTLY, UNPAID, payments, start_payment


def test_payments_list_and_unbooked_after_n_days(app, billing, kowalski, operator):
    operator.choose(start_payment(kowalski, UNPAID).headers["Location"], "pay")
    start_payment(kowalski, PARTLY)
    with app.app_context():
        db().execute(update(Payment).where(Payment.status == "paid").values(paid_at=utcnow() - timedelta(days=4)))
        db().commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["payments", "list"])
    assert listed.exit_code == 0
    assert [line.split("\t")[1:4] for line in listed.output.splitlines()] == [
        ["K-1001", "17,14 zł", "started"], ["K-1001", "166,01 zł", "paid"]]
    late = runner.invoke(args=["payments", "unbooked", "--days", "3"])
    [line] = late.stdout.splitlines()
    assert line.split("\t")[1:4] + line.split("\t")[-3:] == [
        "K-1001", "166,01 zł", "paid", UNPAID, "not booked", "handover waiting for the ERP"]
    assert runner.invoke(args=["payments", "unbooked", "--days", "5"]).stdout == ""
    assert payments(app)[0].order_id is not None


@pytest.mark.parametrize("changes, problem", [
    ({}, "P24_CRC and P24_API_KEY must be the operator's keys"),
    ({"P24_CRC": "c" * 16, "P24_API_KEY": "k" * 32, "P24_URL": "http://127.0.0.1:8082"},
     "P24_URL must start with https"),
    ({"P24_CRC": "c" * 16, "P24_API_KEY": "k" * 32, "PAYMENT_PUBLIC_URL": "http://ibok.example"},
     "PAYMENT_PUBLIC_URL (or PORTAL_URL) must start with https"),
])
def test_production_refuses_the_demo_payment_settings(app, changes, problem):
    settings = {**app.config, "PAYMENTS_ENABLED": True, "P24_URL": "https://secure.przelewy24.pl",
                "PORTAL_URL": "https://ibok.example", **changes}
    assert any(found.startswith(problem) for found in production_problems(settings))


def test_production_takes_the_operators_own_settings(app):
    settings = {**app.config, "PAYMENTS_ENABLED": True, "P24_URL": "https://secure.przelewy24.pl",
                "PORTAL_URL": "https://ibok.example", "P24_CRC": "c" * 16, "P24_API_KEY": "k" * 32,
                "PAYMENT_PUBLIC_URL": ""}
    assert not [found for found in production_problems(settings) if found.startswith(("P24", "PAYMENT"))]
