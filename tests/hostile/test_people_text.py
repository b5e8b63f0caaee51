"""Control characters typed (or sent) into any text field: NUL, ESC, DEL, a C1 control, a line separator in
a one-line field. Each form refuses them with a Polish message and a 400, before anything is looked up or kept;
tab and line breaks stay text in a multi-line field."""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import select

from gateway.db.database import db
from gateway.outbox.model import OutboxItem
from tests.hostile.checks import assert_safe, timed
from tests.hostile.test_people_input import message, nothing_kept
from tests.portal_fixtures import PASSWORD, portal_day

REFUSED = "znaki sterujące"
ANONYMOUS = ("/sign-in", "/password-reset")


def reading(app, **fields):
    return {"reading_date": portal_day(app, -1), "value": "220,5", "idempotency_key": str(uuid.uuid4()), **fields}


CONTROLS = ["\x00", "\x1b[2J", "\x7f", "\x85", "\u2028"]
FIELDS = [("/sign-in", "login"), ("/sign-in", "password"), ("/password-reset", "login_or_email"),
          ("/messages/new", "subject"), ("/messages/new", "body"), ("/readings/W-1001-2", "note"),
          ("/settings/password", "current_password"), ("/settings/password", "new_password")]
# The subject's one-line filter turns NEL and the line separator into a space before any check.
CASES = [(url, field, bad) for url, field in FIELDS for bad in CONTROLS
         if not (field == "subject" and bad in ("\x85", "\u2028"))]


@pytest.mark.parametrize(("url", "field", "bad"), CASES)
def test_control_characters_in_any_text_field_are_refused_in_polish(app, kowalski, billing, deliver, logs, url,
                                                                    field, bad):
    data = {**message(), **reading(app), "login": "kowalski", "password": PASSWORD, "current_password": PASSWORD,
            "new_password": "Zielona-Łąka-2026", "confirm_password": "Zielona-Łąka-2026"}
    data[field] = f"ab{bad}cd" if field != "new_password" else f"Zielona{bad}Łąka-2026"
    data["confirm_password"] = data["new_password"]
    client = app.test_client() if url in ANONYMOUS else kowalski
    result = timed(client.post, url, data=data)
    assert_safe(result, logs, statuses=(400,), log_level=logging.WARNING)
    assert REFUSED in result.page
    nothing_kept(app, billing, deliver)


def test_tab_and_line_breaks_are_text_in_a_message_and_a_note(app, kowalski):
    body, note = "Pierwsza linia\r\n\tdruga linia", "Licznik\r\nw piwnicy"
    sent = kowalski.post("/messages/new", data=message(body=body))
    read = kowalski.post("/readings/W-1001-2", data=reading(app, note=note))
    assert (sent.status_code, read.status_code) == (302, 302), read.get_data(as_text=True)[:2000]
    with app.app_context():
        assert len(list(db().scalars(select(OutboxItem)))) == 2
