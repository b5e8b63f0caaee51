"""The settings page's switches: all off at first, each change a consent (given or withdrawn) and an audit entry."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from gateway.db.database import db
from gateway.db.models import AuditEntry, ConsentRecord
from gateway.notify.model import Subscription


def _switches(page: str) -> dict[str, bool]:
    inputs = re.findall(r"<input ([^>]*type=\"checkbox\"[^>]*)>", page)
    names = [re.findall(r'name="(\w+)"', attrs)[0] for attrs in inputs]
    return {name: "checked" in attrs for name, attrs in zip(names, inputs)}


def test_every_reminder_is_off_until_switched_on(signed_in):
    page = signed_in.get("/settings/").get_data(as_text=True)
    assert "Powiadomienia e-mail" in page and "jan.kowalski@example.com" in page
    assert _switches(page) == {"new_invoice": False, "due_soon": False, "overdue": False, "reading_window": False,
                               "reply": False}


def test_switching_on_and_off_records_a_consent_and_an_audit_entry_for_each_change(signed_in, app):
    answer = signed_in.post("/settings/reminders", data={"new_invoice": "y", "reply": "y"}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Zapisaliśmy Państwa wybór powiadomień e-mail." in page
    assert _switches(page)["new_invoice"] and _switches(page)["reply"] and not _switches(page)["overdue"]
    assert "Nowa faktura</strong>:\n      udzielona" in page
    signed_in.post("/settings/reminders", data={"reply": "y"})
    with app.app_context():
        kinds = set(db().scalars(select(Subscription.kind)))
        consents = [(record.document, record.granted, record.client_address) for record in db().scalars(
            select(ConsentRecord).where(ConsentRecord.document.like("e-mail-%")).order_by(ConsentRecord.id))]
        audits = [(entry.action, json.loads(entry.detail)["kind"], entry.actor) for entry in db().scalars(
            select(AuditEntry).where(AuditEntry.action.like("notify.%")).order_by(AuditEntry.id))]
    assert kinds == {"reply"}
    assert consents == [("e-mail-nowa-faktura", True, "127.0.0.1"), ("e-mail-odpowiedz", True, "127.0.0.1"),
                        ("e-mail-nowa-faktura", False, "127.0.0.1")]
    assert audits == [("notify.switched_on", "new_invoice", "customer"), ("notify.switched_on", "reply", "customer"),
                      ("notify.switched_off", "new_invoice", "customer")]


def test_saving_the_same_choices_records_nothing(signed_in, app):
    signed_in.post("/settings/reminders", data={"overdue": "y"})
    answer = signed_in.post("/settings/reminders", data={"overdue": "y"}, follow_redirects=True)
    assert "Nic się nie zmieniło." in answer.get_data(as_text=True)
    with app.app_context():
        assert len(db().scalars(select(ConsentRecord).where(ConsentRecord.document == "e-mail-zaleglosc")).all()) == 1
