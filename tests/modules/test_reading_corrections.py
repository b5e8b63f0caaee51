"""After sending: a waiting reading corrected or withdrawn (own readings only, audited, too late once passed on),
a refused one explained with what to do next, one the billing system took but does not show yet still counted,
and the start page naming the customer's readings not yet taken."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

from sqlalchemy import select, update

from adapters.core.errors import ErpRejected
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import AuditEntry
from gateway.outbox.model import DELIVERED, PENDING, REJECTED, WITHDRAWN, OutboxItem
from tests.matching import search
from tests.modules.conftest import READING_METER, post_reading
from tests.portal_fixtures import portal_day

METER = READING_METER
STRANGERS_METER = "W-1002-1"
_post = post_reading


def _text(response) -> str:
    return response.get_data(as_text=True)


def _only_row(app) -> OutboxItem:
    with app.app_context():
        return db().scalars(select(OutboxItem)).one()


def _audit(app, action):
    with app.app_context():
        return [json.loads(e.detail) for e in db().scalars(select(AuditEntry).where(AuditEntry.action == action))]


def test_a_waiting_reading_is_corrected_from_its_own_link_and_the_correction_is_audited(
        deliver, app, kowalski, billing):
    _post(kowalski)
    row = _only_row(app)
    page = _text(kowalski.get(f"/readings/{METER}?correct={row.id}"))
    assert "Poprawienie oczekującego odczytu" in page and 'value="220,500"' in page
    key = str(uuid.uuid4())
    response = _post(kowalski, value="219,75", correcting=str(row.id), idempotency_key=key)
    assert response.status_code == 302
    deliver()
    [sent] = [call[1][1] for call in billing.calls if call[0] == "submit_reading"]
    assert (str(sent.value), sent.idempotency_key) == ("219.750", key)
    [corrected] = _audit(app, "reading.corrected")
    assert (corrected["outbox_id"], corrected["idempotency_key"]) == (row.id, key)


def test_a_waiting_reading_withdrawn_is_never_sent_and_leaves_the_list(deliver, app, kowalski, billing):
    _post(kowalski)
    row = _only_row(app)
    response = kowalski.post(f"/readings/{METER}/sent/{row.id}/withdraw", follow_redirects=True)
    assert "Odczyt został wycofany." in _text(response)
    assert deliver().delivered == 0 and not [call for call in billing.calls if call[0] == "submit_reading"]
    assert _only_row(app).status == WITHDRAWN
    assert "Przesłane przez Państwa odczyty" not in _text(kowalski.get(f"/readings/{METER}"))
    assert [entry["outbox_id"] for entry in _audit(app, "reading.withdrawn")] == [row.id]


def test_too_late_to_withdraw_or_correct_once_passed_on(deliver, app, kowalski):
    _post(kowalski)
    row = _only_row(app)
    deliver()
    response = kowalski.post(f"/readings/{METER}/sent/{row.id}/withdraw", follow_redirects=True)
    assert "został już przekazany do systemu rozliczeniowego, dlatego nie można go tu wycofać" in _text(response)
    late = _post(kowalski, value="221", correcting=str(row.id))
    assert late.status_code == 409 and "w międzyczasie przekazany" in _text(late)
    assert _only_row(app).status == DELIVERED and _audit(app, "reading.withdrawn") == []


def test_a_reading_held_by_a_deliverer_cannot_be_withdrawn(app, kowalski):
    _post(kowalski)
    row = _only_row(app)
    with app.app_context():
        db().execute(update(OutboxItem).values(claimed_by="w1", claimed_until=utcnow() + timedelta(seconds=60)))
        db().commit()
    kowalski.post(f"/readings/{METER}/sent/{row.id}/withdraw")
    assert _only_row(app).status == PENDING


def test_another_customers_reading_cannot_be_corrected_or_withdrawn(app, kowalski, nowak):
    _post(nowak, meter=STRANGERS_METER, value="289")
    row = _only_row(app)
    assert kowalski.post(f"/readings/{METER}/sent/{row.id}/withdraw").status_code == 404
    assert kowalski.post(f"/readings/{STRANGERS_METER}/sent/{row.id}/withdraw").status_code == 404
    assert kowalski.get(f"/readings/{METER}?correct={row.id}").status_code == 404
    assert _post(kowalski, value="221", correcting=str(row.id)).status_code == 409
    assert _only_row(app).status == PENDING and _only_row(app).customer_id == "K-1002"


def test_a_refused_reading_shows_the_reason_and_what_to_do_next(deliver, kowalski, billing):
    billing.fail("submit_reading", ErpRejected("submit_reading", "Wodomierz jest w trakcie wymiany."))
    _post(kowalski)
    deliver()
    page = _text(kowalski.get(f"/readings/{METER}"))
    assert "Podany powód: Wodomierz jest w trakcie wymiany." in page
    assert "Co dalej: prosimy wysłać je ponownie (w razie potrzeby poprawione) lub skontaktować się" in page
    assert search(r'<a href="([^"]+)">Wyślij ponownie</a>', page).group(1) == f"/readings/{METER}#submit-heading"


def test_a_reading_taken_but_not_shown_yet_still_holds_its_day(deliver_elsewhere, kowalski):
    _post(kowalski)
    assert deliver_elsewhere().delivered == 1
    page = _text(kowalski.get(f"/readings/{METER}"))
    assert "przyjęto w systemie rozliczeniowym" in page and "Wkrótce będzie widoczne" in page
    response = _post(kowalski, value="221")
    assert response.status_code == 422
    assert "(220,500 m³) przyjęto w systemie rozliczeniowym i wkrótce pojawi się tutaj" in _text(response)


def test_a_reading_the_erp_shows_is_no_longer_marked_as_not_shown(deliver, kowalski):
    _post(kowalski)
    deliver()
    page = _text(kowalski.get(f"/readings/{METER}"))
    assert "przyjęto w systemie rozliczeniowym" in page and "Wkrótce będzie widoczne" not in page


def test_the_start_page_names_the_customers_reading_not_yet_taken(deliver, app, kowalski):
    _post(kowalski)
    day = date.fromisoformat(portal_day(app, -1)).strftime("%d.%m.%Y")
    page = _text(kowalski.get("/"))
    assert f"Państwa odczyt z dnia {day} (220,500 m³):" in page and "oczekuje na przekazanie" in page
    assert f'href="/readings/{METER}#submitted-heading"' in page
    deliver()
    assert "Państwa odczyt z dnia" not in _text(kowalski.get("/"))


def test_the_start_page_shows_a_recent_refusal_with_its_reason(deliver, app, kowalski, billing):
    billing.fail("submit_reading", ErpRejected("submit_reading", "Wodomierz jest w trakcie wymiany."))
    _post(kowalski)
    deliver()
    page = _text(kowalski.get("/"))
    assert "Państwa odczyt z dnia" in page and "odrzucono" in page and "Wodomierz jest w trakcie wymiany." in page
    with app.app_context():
        db().execute(update(OutboxItem).values(finished_at=utcnow() - timedelta(days=8)))
        db().commit()
    assert "Państwa odczyt z dnia" not in _text(kowalski.get("/"))
    assert _only_row(app).status == REJECTED
