"""The audit log: who, when, what and from where, for customers and staff alike, and never a password."""

from __future__ import annotations

import json

from sqlalchemy import select

from gateway.accounts import audit
from gateway.db.database import db
from gateway.db.models import AuditEntry
from tests.portal.conftest import PASSWORD


def test_secret_fields_never_reach_the_log_whatever_a_caller_passes(app):
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.44"}):
        audit.record("invoice.download", login="kowalski", invoice_id="FV/1/2026", password=PASSWORD,
                     new_password="x", token="t", csrf_token="c")
        db().commit()
        entry = db().scalars(select(AuditEntry)).one()
    assert json.loads(entry.detail) == {"invoice_id": "FV/1/2026"}
    assert (entry.actor, entry.login, entry.client_address) == ("anonymous", "kowalski", "192.0.2.44")
    assert entry.at is not None


def test_a_signed_in_customers_actions_name_the_account(app, signed_in):
    signed_in.post("/sign-out", environ_base={"REMOTE_ADDR": "192.0.2.45"})
    with app.app_context():
        entry = db().scalars(select(AuditEntry).where(AuditEntry.action == "sign_out")).one()
    assert (entry.actor, entry.login, entry.client_address) == ("customer", "kowalski", "192.0.2.45")
    assert entry.account_id == 1


def test_a_very_long_unknown_login_is_stored_as_a_short_keyed_hash(app, client):
    client.post("/sign-in", data={"login": "x" * 200, "password": "whatever-whatever"})
    with app.app_context():
        entry = db().scalars(select(AuditEntry)).one()
    assert entry.login is not None and entry.login.startswith("unknown:") and len(entry.login) == 40
    assert "xxx" not in entry.login + entry.detail
