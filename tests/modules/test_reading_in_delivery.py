"""A waiting reading whose delivery attempt may have reached the ERP (a timeout, a 5xx) can no longer be withdrawn
or corrected: no buttons, a clear word for a POST made anyway, and it is delivered as it is under its own key. One
refused before anything was sent (the circuit breaker open) stays the customer's to change."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, update

from adapters.core.errors import ErpUnavailable
from adapters.core.operations import OPERATIONS
from adapters.resilience.breakers import BreakerBilling
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.outbox.delivery import deliver_due
from gateway.outbox.model import DELIVERED, PENDING, WITHDRAWN, OutboxItem
from tests.modules.conftest import READING_METER, post_reading

METER = READING_METER
WITHDRAW_BUTTON = '<button type="submit" class="button button-secondary">Wycofaj</button>'
IN_DELIVERY = "jest właśnie przekazywany do systemu rozliczeniowego i mógł już do niego trafić"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _only_row(app) -> OutboxItem:
    with app.app_context():
        return db().scalars(select(OutboxItem)).one()


def _due_now(app) -> None:
    """The back-off over: the next round tries the row again."""
    with app.app_context():
        db().execute(update(OutboxItem).values(next_attempt_at=utcnow()))
        db().commit()


def _erp_down() -> None:
    raise ErpUnavailable("submit_reading", "timed out")


def _sent_keys(billing) -> list[str]:
    return [call[1][1].idempotency_key for call in billing.calls if call[0] == "submit_reading"]


def test_a_reading_whose_delivery_timed_out_is_neither_withdrawn_nor_corrected_and_goes_as_it_is(
        deliver, app, kowalski, billing):
    key = str(uuid.uuid4())
    post_reading(kowalski, idempotency_key=key)
    row = _only_row(app)
    billing.fail("submit_reading", ErpUnavailable("submit_reading", "timed out"))
    assert deliver().retrying == 1
    page = _text(kowalski.get(f"/readings/{METER}"))
    assert WITHDRAW_BUTTON not in page and f"correct={row.id}" not in page
    assert "Odczyt jest właśnie przekazywany do systemu rozliczeniowego i mógł już do niego trafić" in page
    assert "Poprawienie lub wycofanie odczytu" not in _text(kowalski.get("/"))
    withdrawn = kowalski.post(f"/readings/{METER}/sent/{row.id}/withdraw", follow_redirects=True)
    assert f"Ten odczyt {IN_DELIVERY}, dlatego nie można go tu wycofać." in _text(withdrawn)
    corrected = post_reading(kowalski, value="219,75", correcting=str(row.id))
    assert corrected.status_code == 409 and f"{IN_DELIVERY}, dlatego nie można go tu zmienić." in _text(corrected)
    assert 'value="219,75"' in _text(corrected)
    opened = kowalski.get(f"/readings/{METER}?correct={row.id}", follow_redirects=True)
    assert "Poprawienie oczekującego odczytu" not in _text(opened) and IN_DELIVERY in _text(opened)
    again = post_reading(kowalski, value="221")
    assert again.status_code == 409 and "możliwy jest jeden odczyt dziennie" in _text(again)
    assert (_only_row(app).status, _only_row(app).idempotency_key) == (PENDING, key)
    billing.failures.clear()
    _due_now(app)
    assert deliver().delivered == 1
    assert _sent_keys(billing) == [key, key] and _only_row(app).status == DELIVERED


def test_a_reading_refused_at_the_open_breaker_can_still_be_withdrawn(app, kowalski, billing):
    post_reading(kowalski)
    row = _only_row(app)
    guarded = BreakerBilling(billing, fail_max=1)
    circuit = guarded.breakers[OPERATIONS["submit_reading"].group]
    with pytest.raises(ErpUnavailable):
        circuit.call(_erp_down)  # the ERP down for other writes: the circuit opens before this one is tried
    assert circuit.state == "open"
    with app.extensions["database"]() as session:
        assert deliver_due(session, guarded).retrying == 1
    assert _sent_keys(billing) == [] and (_only_row(app).attempts, _only_row(app).maybe_sent) == (1, False)
    assert WITHDRAW_BUTTON in _text(kowalski.get(f"/readings/{METER}"))
    withdrawn = kowalski.post(f"/readings/{METER}/sent/{row.id}/withdraw", follow_redirects=True)
    assert "Odczyt został wycofany." in _text(withdrawn) and _only_row(app).status == WITHDRAWN
