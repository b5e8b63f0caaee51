"""Settings: password change with the current password, e-mail and consents shown, e-invoices switched in the ERP."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from adapters.core.errors import ErpRejected, ErpUnavailable
from gateway.clock import utcnow
from gateway.db.database import db
from gateway.db.models import AuditEntry, ConsentRecord
from gateway.outbox.model import OutboxItem
from tests.matching import search
from tests.portal.conftest import PASSWORD, sign_in

NEW = "Inne-dlugie-haslo-2026"


def _change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post("/settings/password", data={"current_password": current, "new_password": new,
                                                   "confirm_password": confirm or new})


def _einvoice(client, button, key=None):
    return client.post("/settings/e-invoice", data={button: "1", "idempotency_key": key or str(uuid.uuid4())},
                       follow_redirects=True)


def test_settings_show_the_email_address_and_the_consents_given(signed_in):
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "jan.kowalski@example.com" in page
    assert "Regulamin korzystania z IBOK" in page and "Regulamin korzystania z e-faktury" in page
    assert "udzielona" in page and "wersja 2026-01" in page
    assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", page)


def test_settings_show_the_einvoice_state_from_the_erp(signed_in):
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "E-faktura jest wyłączona" in page
    assert "Włącz e-fakturę" in page and "Wyłącz e-fakturę" not in page


def test_password_change_needs_the_current_password(signed_in):
    response = _change(signed_in, current="Not-my-password-1")
    assert response.status_code == 400
    assert "Obecne hasło jest nieprawidłowe." in response.get_data(as_text=True)
    signed_in.post("/sign-out")
    assert sign_in(signed_in).location == "/"


def test_password_change_follows_the_policy(signed_in):
    response = _change(signed_in, new="password1234")
    assert response.status_code == 400
    assert "należy do najpopularniejszych" in response.get_data(as_text=True)


def test_password_change_works_and_is_audited_without_the_password(app, signed_in):
    response = _change(signed_in)
    assert response.status_code == 302
    assert "Hasło zostało zmienione" in signed_in.get("/settings/").get_data(as_text=True)
    signed_in.post("/sign-out")
    assert sign_in(signed_in).status_code == 200
    assert sign_in(signed_in, password=NEW).location == "/"
    with app.app_context():
        entries = db().scalars(select(AuditEntry).where(AuditEntry.action == "password.changed")).all()
        assert len(entries) == 1 and NEW not in entries[0].detail and PASSWORD not in entries[0].detail


def test_guessing_the_current_password_is_throttled(signed_in):
    statuses = [_change(signed_in, current=f"Wrong-guess-{n}-xx").status_code for n in range(6)]
    assert statuses[-1] == 429
    assert _change(signed_in).status_code == 429


def test_switching_einvoices_on_is_recorded_and_reaches_the_erp_once_per_form(deliver, app, signed_in, billing):
    key = str(uuid.uuid4())
    page = _einvoice(signed_in, "enable", key).get_data(as_text=True)
    assert "Wybór Państwa (e-faktura włączona) przyjęto w portalu." in page
    assert "oczekuje na przekazanie" in page
    _einvoice(signed_in, "enable", key)
    deliver()
    assert [call for call in billing.calls if call[0] == "set_einvoice_consent"] == [
        ("set_einvoice_consent", ("K-1001", True, key))]
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "E-faktura jest włączona" in page and "oczekuje na przekazanie" not in page
    with app.app_context():
        consent = db().scalars(select(ConsentRecord).where(ConsentRecord.document == "e-faktura")).first()
        assert consent is not None and consent.granted and consent.version == "2026-01"
        entry = db().scalars(select(AuditEntry).where(AuditEntry.action == "einvoice_consent.delivered")).one()
        assert json.loads(entry.detail)["idempotency_key"] == key


def test_switching_einvoices_off_is_recorded_as_a_withdrawal(signed_in):
    _einvoice(signed_in, "enable")
    page = _einvoice(signed_in, "disable").get_data(as_text=True)
    assert "Wybór Państwa (e-faktura wyłączona) przyjęto w portalu." in page
    assert "wycofana" in page


def test_the_einvoice_form_carries_a_fresh_idempotency_key(signed_in):
    keys = {search(r'name="idempotency_key" type="hidden" value="([^"]+)"',
                   signed_in.get("/settings/").get_data(as_text=True)).group(1) for _ in range(2)}
    assert len(keys) == 2 and all(uuid.UUID(key) for key in keys)


def test_a_form_without_a_valid_key_changes_nothing(signed_in, billing):
    response = signed_in.post("/settings/e-invoice", data={"enable": "1", "idempotency_key": "not-a-uuid"},
                              follow_redirects=True)
    assert "Formularz wygasł" in response.get_data(as_text=True)
    assert not [call for call in billing.calls if call[0] == "set_einvoice_consent"]


def test_the_erps_refusal_is_shown_in_its_own_words(deliver, app, signed_in, billing):
    billing.fail("set_einvoice_consent", ErpRejected("set_einvoice_consent", "Brak aktywnej umowy"))
    _einvoice(signed_in, "enable")
    assert deliver().rejected == 1
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "odrzucono" in page and "Brak aktywnej umowy" in page
    with app.app_context():
        assert db().scalars(select(AuditEntry).where(AuditEntry.action == "einvoice_consent.rejected")).one()


def test_an_unavailable_erp_loses_nothing_and_the_page_still_shows(deliver, app, signed_in, billing):
    billing.fail("set_einvoice_consent", ErpUnavailable("set_einvoice_consent", "timeout"))
    billing.fail("list_contracts", ErpUnavailable("list_contracts", "timeout"))
    response = _einvoice(signed_in, "enable")
    assert response.status_code == 200
    assert deliver().retrying == 1
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "oczekuje na przekazanie" in page and "Zmiana jest w trakcie rejestracji." in page
    assert "E-faktura jest włączona" in page and "Włącz e-fakturę" not in page


def test_a_switch_the_erp_took_stays_shown_and_is_not_offered_again_until_the_erp_agrees(deliver_elsewhere,
                                                                                         signed_in):
    _einvoice(signed_in, "enable")
    assert deliver_elsewhere().delivered == 1
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "E-faktura jest włączona" in page and "Zmiana jest w trakcie rejestracji." in page
    assert "przyjęto w systemie rozliczeniowym" in page and "Wkrótce będzie widoczne" in page
    assert "Włącz e-fakturę" not in page and "Wyłącz e-fakturę" in page


def test_after_the_wait_the_erps_answer_alone_counts(app, deliver_elsewhere, signed_in):
    _einvoice(signed_in, "enable")
    assert deliver_elsewhere().delivered == 1
    with app.app_context():
        db().execute(update(OutboxItem).values(finished_at=utcnow() - timedelta(hours=25)))
        db().commit()
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "E-faktura jest wyłączona" in page and "Zmiana jest w trakcie rejestracji." not in page
    assert "Włącz e-fakturę" in page


def test_a_refused_switch_leaves_the_erps_state_and_says_what_to_do(deliver, signed_in, billing):
    billing.fail("set_einvoice_consent", ErpRejected("set_einvoice_consent", "Brak aktywnej umowy"))
    _einvoice(signed_in, "enable")
    deliver()
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "E-faktura jest wyłączona" in page and "Włącz e-fakturę" in page
    assert "Podany powód: Brak aktywnej umowy" in page and "Co dalej:" in page
