"""Submitting a reading: the rules explained before sending, the confirmation step for a high value, the
reading kept in the outbox and delivered once per idempotency key, the ERP's refusal and silence shown
as the reading's state, the audit entries."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select, update

from adapters.core.errors import ErpRejected, ErpUnavailable
from gateway import clock
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import AuditEntry
from gateway.outbox.model import OutboxItem
from tests.matching import search
from tests.modules.conftest import READING_METER, post_reading
from tests.portal_fixtures import portal_day

METER = READING_METER
_post = post_reading


def _text(response) -> str:
    return response.get_data(as_text=True)


def _submissions(billing):
    return [call[1][1] for call in billing.calls if call[0] == "submit_reading"]


def _sent(deliver, billing):
    deliver()
    return _submissions(billing)


def _audit(app, action):
    with app.app_context():
        return [json.loads(e.detail) for e in db().scalars(select(AuditEntry).where(AuditEntry.action == action))]


def test_the_form_starts_with_todays_date_in_poland_and_a_fresh_key(kowalski, monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 11, 19, 23, 30))
    page = _text(kowalski.get(f"/readings/{METER}"))
    assert 'value="2026-11-20"' in page, "23:30 UTC is already the next day in Warsaw"
    key = search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    assert uuid.UUID(key)
    assert "Ostatni odczyt: 214,209 m³ z dnia 31.10.2026." in page


def test_a_reading_is_accepted_audited_delivered_once_and_shown_as_waiting(deliver, app, kowalski, billing):
    response = _post(kowalski, note="Odczyt własny")
    assert response.status_code == 302 and response.location.endswith(f"/readings/{METER}")
    assert not _submissions(billing), "accepted at once; the ERP hears of it from the deliverer"
    page = _text(kowalski.get(response.location))
    assert "Dziękujemy. Odczyt 220,500 m³ przyjęto w portalu." in page
    assert "oczekuje na przekazanie" in page
    (sent,) = _sent(deliver, billing)
    assert str(sent.value) == "220.500" and sent.note == "Odczyt własny" and sent.meter_id == METER
    page = _text(kowalski.get(response.location))
    assert "przyjęto w systemie rozliczeniowym" in page
    row = search(r"220,500</td>(.*?)</tr>", page, re.S).group(1)
    assert "oczekuje na weryfikację" in row and "klienta" in row
    (accepted,) = _audit(app, "reading.accepted")
    (delivered,) = _audit(app, "reading.delivered")
    assert accepted["idempotency_key"] == delivered["idempotency_key"] == sent.idempotency_key
    assert delivered["reference"].startswith("OD/")


@pytest.mark.parametrize("typed, value", [("220,5", "220.500"), ("220.123", "220.123"), (" 220 ", "220.000")])
def test_a_polish_decimal_comma_is_fine(deliver, app, kowalski, billing, typed, value):
    assert _post(kowalski, value=typed).status_code == 302
    assert str(_sent(deliver, billing)[0].value) == value


def test_a_date_in_polish_form_is_fine(deliver, app, kowalski, billing):
    day = date.fromisoformat(portal_day(app, -1))
    assert _post(kowalski, reading_date=f"{day:%d.%m.%Y}").status_code == 302
    assert _sent(deliver, billing)[0].date == day


def test_a_double_click_sends_one_reading(deliver, app, kowalski, billing):
    key = str(uuid.uuid4())
    first, second = _post(kowalski, idempotency_key=key), _post(kowalski, idempotency_key=key)
    assert first.status_code == second.status_code == 302
    assert len(_sent(deliver, billing)) == 1
    page = _text(kowalski.get(f"/readings/{METER}"))
    assert page.count("220,500</td>") == 1


def test_a_second_reading_the_same_day_is_offered_as_a_correction_of_the_waiting_one(deliver, app, kowalski,
                                                                                     billing):
    assert _post(kowalski, value="220,5").status_code == 302
    key = str(uuid.uuid4())
    response = _post(kowalski, value="221", idempotency_key=key)
    page = _text(response)
    assert response.status_code == 409
    assert "Państwa odczyt z dnia" in page and "(220,500 m³) oczekuje na przekazanie" in page
    correcting = search(r'name="correcting" type="hidden" value="(\d+)"', page).group(1)
    again = _post(kowalski, value="221", idempotency_key=key, correcting=correcting)
    assert again.status_code == 302
    assert "Oczekujący odczyt poprawiono na 221,000 m³." in _text(kowalski.get(again.location))
    assert [(str(sent.value), sent.idempotency_key) for sent in _sent(deliver, billing)] == [("221.000", key)]
    with app.app_context():
        assert db().scalars(select(OutboxItem)).one().id == int(correcting)


@pytest.mark.parametrize("fields, message", [
    ({"value": "200,000"}, "Wskazanie nie może być niższe niż ostatni odczyt (214,209 m³ z dnia 31.10.2026)."),
    ({"reading_date": "2026-10-30"},
     "Data odczytu nie może być wcześniejsza niż data ostatniego odczytu (31.10.2026)."),
    ({"reading_date": "2026-10-31"}, "Odczyt z dnia 31.10.2026 jest już zarejestrowany dla tego wodomierza"),
    ({"reading_date": "2099-01-01"}, "Data odczytu nie może być późniejsza niż dzisiejsza."),
])
def test_a_broken_rule_is_explained_next_to_its_field_and_nothing_is_sent(kowalski, billing, fields, message):
    response = _post(kowalski, **fields)
    assert response.status_code == 422
    page = _text(response)
    assert message in page and 'aria-invalid="true"' in page
    assert not _submissions(billing)
    assert f'value="{fields.get("value", "220,5")}"' in page, "the customer's value stays in the form"


@pytest.mark.parametrize("fields, message", [
    ({"value": "12,3456"}, "Prosimy podać wskazanie w m³, z najwyżej trzema miejscami po przecinku"),
    ({"value": "abc"}, "Prosimy podać wskazanie w m³"),
    ({"value": "-5"}, "Prosimy podać wskazanie w m³"),
    ({"value": ""}, "To pole jest wymagane."),
    ({"reading_date": "wczoraj"}, "Nieprawidłowa data"),
    ({"reading_date": "2026-02-30"}, "Nieprawidłowa data"),
    ({"reading_date": ""}, "To pole jest wymagane."),
    ({"note": "x" * 501}, "nie może mieć więcej niż 500 znaków"),
])
def test_a_malformed_form_is_400_with_the_error_at_the_field(kowalski, billing, fields, message):
    response = _post(kowalski, **fields)
    assert response.status_code == 400
    assert message in _text(response) and 'class="error"' in _text(response)
    assert not _submissions(billing)


def test_a_form_without_its_key_is_refused(kowalski, billing):
    assert _post(kowalski, idempotency_key="").status_code == 400
    assert _post(kowalski, idempotency_key="not-a-uuid").status_code == 400
    assert not _submissions(billing)


def test_a_value_far_above_the_usual_asks_to_confirm_with_a_reason(deliver, app, kowalski, billing):
    first = _post(kowalski, value="5000")
    assert first.status_code == 422
    page = _text(first)
    assert "To wskazanie jest znacznie wyższe niż zwykle" in page
    assert "Potwierdzam wskazanie" in page and "Przyczyna wysokiego zużycia" in page
    assert not _submissions(billing)

    without_reason = _post(kowalski, value="5000", confirm="y")
    assert without_reason.status_code == 400
    assert "Prosimy napisać, dlaczego zużycie jest tak wysokie." in _text(without_reason)

    confirmed = _post(kowalski, value="5000", confirm="y", reason="Awaria rury w piwnicy", note="Proszę o kontakt")
    assert confirmed.status_code == 302
    (sent,) = _sent(deliver, billing)
    assert sent.note == "Awaria rury w piwnicy\nProszę o kontakt"


def test_the_erps_refusal_is_shown_in_its_words(deliver, app, kowalski, billing):
    billing.fail("submit_reading", ErpRejected("submit_reading", "Wodomierz jest w trakcie wymiany."))
    assert _post(kowalski, value="221,5").status_code == 302
    assert deliver().rejected == 1
    page = _text(kowalski.get(f"/readings/{METER}"))
    assert "odrzucono" in page and "Wodomierz jest w trakcie wymiany." in page
    assert _audit(app, "reading.rejected")[0]["code"] == "REJECTED"  # the ERP's words stay on the row, not audited


def test_an_unavailable_erp_loses_nothing_and_the_reading_goes_when_it_is_back(deliver, app, kowalski, billing):
    billing.fail("submit_reading", ErpUnavailable("submit_reading", "timeout"))
    assert _post(kowalski, value="221,5", note="po powrocie z urlopu").status_code == 302
    assert deliver().retrying == 1
    assert len(_submissions(billing)) == 1, "one attempt per round, never retried blindly"
    assert "oczekuje na przekazanie" in _text(kowalski.get(f"/readings/{METER}"))
    billing.failures.clear()
    with app.extensions["database"]() as session:
        session.execute(update(OutboxItem).values(next_attempt_at=utcnow()))
        session.commit()
    assert deliver().delivered == 1
    assert {call.idempotency_key for call in _submissions(billing)} == {_submissions(billing)[0].idempotency_key}


def test_a_reading_is_accepted_even_when_the_erp_cannot_show_the_history(deliver, app, kowalski, billing):
    billing.fail("list_readings", ErpUnavailable("list_readings", "down"))
    assert _post(kowalski, value="221,5").status_code == 302
    billing.failures.clear()
    assert deliver().delivered == 1


def test_a_removed_meter_takes_no_reading(kowalski, billing):
    response = _post(kowalski, meter="W-1001-1", value="2100")
    assert response.status_code == 422
    assert "Odczyt można zgłosić tylko dla czynnego wodomierza." in _text(response)
    assert not _submissions(billing)


def test_a_replacement_meter_is_checked_against_its_own_last_reading(kowalski, billing):
    """W-1001-2 replaced W-1001-1, which stood at 2085,906 m³: 220,5 is fine for the new one."""
    assert _post(kowalski, value="220,5").status_code == 302


def test_another_customers_meter_takes_no_reading_and_the_erp_hears_nothing(kowalski, billing):
    billing.calls.clear()
    response = _post(kowalski, meter="W-1002-1", value="300")
    assert response.status_code == 404
    assert not [call for call in billing.calls if "W-1002-1" in map(str, call[1])]
    assert not _submissions(billing)
