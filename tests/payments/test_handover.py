"""The paid amount handed to the ERP: queued once where the ERP offers `record_payment` and delivered once, the
ERP's refusal kept for the office; where the ERP does not offer it nothing is queued and the pages say that the
utility books the payment from the bank statement."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from adapters.core.errors import ErpRejected
from adapters.resilience.narrowed import NarrowedBilling
from gateway.db.database import db
from gateway.erp.billing import EXTENSION_KEY
from gateway.outbox.model import OutboxItem
from tests.payments.fixtures import UNPAID, payments, start_payment
from tests.portal.doubles import ScriptedBilling

REFUSAL = "Faktura została już rozliczona – wpłatę zaksięgujemy z wyciągu bankowego."


@pytest.fixture
def erp(app: Flask) -> Iterator[ScriptedBilling]:
    """The module's ERP, its booked payments and scripted failures forgotten after each test."""
    port = app.extensions[EXTENSION_KEY]
    yield port
    port.failures.clear()
    port.inner.backend.reset()


def _outbox(app: Flask) -> list[OutboxItem]:
    with app.app_context():
        return list(db().scalars(select(OutboxItem).order_by(OutboxItem.id)))


def _pay(app: Flask, kowalski, operator) -> str:
    """K-1001 pays FV/00116/11/2026 (166,01 zł); the payment's own page."""
    operator.choose(start_payment(kowalski, UNPAID).headers["Location"], "pay")
    [payment] = payments(app)
    return f"/payments/{payment.session_id}"


def _deliver(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0
    return result.output


def test_a_payment_notified_twice_is_handed_over_once_and_booked(app, erp, kowalski, operator):
    operator.modes(notify="twice")
    page = _pay(app, kowalski, operator)
    assert operator.answers == [200, 200]
    [item] = _outbox(app)
    assert (item.kind, item.customer_id, item.idempotency_key, item.status) == (
        "payment", "K-1001", "przelewy24-300000001", "pending")
    assert "Opłacono online i przekazano do przedsiębiorstwa" in kowalski.get(page).get_data(as_text=True)
    assert _deliver(app).startswith("delivered 1, refused 0")
    assert _deliver(app).startswith("delivered 0, refused 0")
    assert [call for call, _ in erp.calls].count("record_payment") == 1
    [item] = _outbox(app)
    assert item.status == "delivered" and (item.erp_reference or "").startswith("WO/")
    ledger = erp.get_settlements("K-1001")
    assert [(e.document_number, e.amount) for e in ledger.entries if e.document_number.startswith("WO/")] == [
        (item.erp_reference, Decimal("166.01"))]
    assert ledger.balance == Decimal("17.14")
    assert "Opłacono online i zaksięgowano" in kowalski.get(page).get_data(as_text=True)


def test_where_the_erp_does_not_offer_it_nothing_is_queued_and_the_page_says_bank_statement(
        app, erp, kowalski, operator, monkeypatch):
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, NarrowedBilling(erp, ["record_payment"]))
    page = _pay(app, kowalski, operator)
    assert payments(app)[0].status == "paid" and _outbox(app) == []
    text = kowalski.get(page).get_data(as_text=True)
    assert "czeka na zaksięgowanie przez przedsiębiorstwo na podstawie wyciągu bankowego" in text
    assert "przekazano do przedsiębiorstwa" not in text


def test_a_handover_the_erp_refuses_is_kept_and_shown_to_the_office(app, erp, kowalski, operator):
    erp.fail("record_payment", ErpRejected("record_payment", REFUSAL))
    page = _pay(app, kowalski, operator)
    assert _deliver(app).startswith("delivered 0, refused 1")
    [item] = _outbox(app)
    assert (item.status, item.reason) == ("rejected", REFUSAL)
    unbooked = app.test_cli_runner().invoke(args=["payments", "unbooked", "--days", "0"])
    [line] = unbooked.stdout.splitlines()
    assert line.split("\t")[-2:] == ["not booked", f"handover refused by the ERP: {REFUSAL}"]
    # The utility books it from the bank statement now, and the customer is told so.
    text = kowalski.get(page).get_data(as_text=True)
    assert "czeka na zaksięgowanie przez przedsiębiorstwo na podstawie wyciągu bankowego" in text
