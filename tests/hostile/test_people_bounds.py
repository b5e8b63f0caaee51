"""Work bounded by what a page shows, for a customer who writes a lot: the message list reads a few columns of
the outbox, filtered and limited in SQL, and never decodes an attachment; writes beyond the per-customer limits
are refused with a Polish 429."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, select, update

from adapters.core.records import Attachment, MessageDraft, MessageKind, ReadingSubmission
from gateway.clock import utcnow
from gateway.db.database import db, engine_of
from gateway.outbox import store
from gateway.outbox.model import DELIVERED, OutboxItem
from tests.hostile.test_people_input import message
from tests.modules.test_message_attachments import PDF_BYTES
from tests.portal_fixtures import portal_day

KB = 1024


def keep_message(app: Any, subject: str, customer_id: str = "K-1001", status: str = "pending",
                 attachment: bytes = PDF_BYTES) -> int:
    """A message with one attachment kept in the outbox as the form would keep it; its row id."""
    draft = MessageDraft(MessageKind.INQUIRY, subject, "Treść", str(uuid.uuid4()),
                         (Attachment("skan.pdf", "application/pdf", attachment),))
    with app.app_context():
        item = store.enqueue(db(), customer_id, None, draft, subject)
        db().execute(update(OutboxItem).where(OutboxItem.id == item.id).values(status=status))
        db().commit()
        return item.id


def spoil_payload(app: Any, item_id: int) -> None:
    """A payload no codec can read: a list that decoded it would fail."""
    with app.app_context():
        db().execute(update(OutboxItem).where(OutboxItem.id == item_id).values(payload="{not json"))
        db().commit()


def outbox_statements(app: Any, client: Any, path: str) -> tuple[Any, list[str]]:
    """The page, and every SQL statement it sent that read the outbox table."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "outbox" in statement:
            seen.append(statement)

    engine = engine_of(app)
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return response, seen


def test_the_message_list_never_reads_or_decodes_attachments(app, kowalski):
    waiting = keep_message(app, "Pytanie o wodomierz")
    spoil_payload(app, waiting)
    spoil_payload(app, keep_message(app, "Dawno przyjęta", status=DELIVERED))
    response, statements = outbox_statements(app, kowalski, "/messages/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pytanie o wodomierz" in page and "zapytanie" in page
    assert "Dawno przyjęta" not in page
    assert statements and not [s for s in statements if "payload" in s]
    assert all("LIMIT" in s.upper() for s in statements)


def test_the_message_list_shows_at_most_twenty_waiting_messages_newest_first(app, kowalski):
    for number in range(1, 26):
        keep_message(app, f"Wiadomość nr {number:02d}")
    page = kowalski.get("/messages/").get_data(as_text=True)
    shown = [number for number in range(1, 26) if f"Wiadomość nr {number:02d}" in page]
    assert shown == list(range(6, 26))
    assert page.index("Wiadomość nr 25") < page.index("Wiadomość nr 06")


def test_another_customers_waiting_messages_are_not_listed(app, kowalski):
    keep_message(app, "Cudza wiadomość", customer_id="K-1002")
    assert "Cudza wiadomość" not in kowalski.get("/messages/").get_data(as_text=True)


def age(app: Any, item_id: int, minutes: int) -> None:
    """Move a kept write back in time, as if it had been made minutes ago."""
    with app.app_context():
        db().execute(update(OutboxItem).where(OutboxItem.id == item_id)
                     .values(created_at=utcnow() - timedelta(minutes=minutes)))
        db().commit()


def kept(app: Any, kind: str) -> int:
    with app.app_context():
        return int(db().scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.kind == kind)) or 0)


def keep_reading(app: Any, meter_id: str) -> int:
    """A reading the customer sent earlier today, already taken by the ERP (so no reading rule looks at it)."""
    write = ReadingSubmission(meter_id, date(2026, 1, 2), Decimal("100.000"), str(uuid.uuid4()), "")
    with app.app_context():
        item = store.enqueue(db(), "K-1001", None, write, "odczyt")
        db().execute(update(OutboxItem).where(OutboxItem.id == item.id).values(status=DELIVERED))
        db().commit()
        return item.id


def test_the_eleventh_message_within_an_hour_is_a_polish_429(app, kowalski):
    first = keep_message(app, "Pierwsza")
    for number in range(2, 11):
        keep_message(app, f"Wiadomość {number}")
    refused = kowalski.post("/messages/new", data=message(subject="Jedenasta"))
    assert refused.status_code == 429
    assert "limit wiadomości wysłanych w ciągu godziny (10)" in refused.get_data(as_text=True)
    assert kept(app, "message") == 10
    age(app, first, 61)
    eleventh = message(subject="Jedenasta")
    assert kowalski.post("/messages/new", data=eleventh).status_code == 302
    assert kowalski.post("/messages/new", data=message(subject="Dwunasta")).status_code == 429
    assert kowalski.post("/messages/new", data=eleventh).status_code == 302  # the same form again: kept once
    assert kept(app, "message") == 11


def test_attachments_beyond_the_daily_megabytes_are_a_polish_429_but_a_message_without_files_goes(app, kowalski):
    app.config["MESSAGE_ATTACHMENT_MB_PER_DAY"] = 1
    scan = PDF_BYTES + b"0" * (400 * KB)
    age(app, keep_message(app, "Przedwczoraj", attachment=scan + scan), 25 * 60)
    keep_message(app, "Rano", attachment=scan)
    keep_message(app, "W południe", attachment=scan)
    files = {"attachments": [(io.BytesIO(scan), "skan.pdf")]}
    refused = kowalski.post("/messages/new", data=message(subject="Wieczorem", **files),
                            content_type="multipart/form-data")
    assert refused.status_code == 429
    assert "przekroczyłyby 1,0 MB" in refused.get_data(as_text=True)
    assert kept(app, "message") == 3
    assert kowalski.post("/messages/new", data=message(subject="Bez plików")).status_code == 302


def test_the_sixth_reading_of_a_meter_within_a_day_is_a_polish_429(app, kowalski):
    reading = {"reading_date": portal_day(app, -1), "value": "220,5"}
    for _ in range(5):
        keep_reading(app, "W-1001-1")
    accepted = kowalski.post("/readings/W-1001-2", data={**reading, "idempotency_key": str(uuid.uuid4())})
    assert accepted.status_code == 302
    for _ in range(4):
        keep_reading(app, "W-1001-2")
    # Today's: another of yesterday's would be offered as a correction of the waiting one, not counted as new.
    today = {**reading, "reading_date": portal_day(app), "idempotency_key": str(uuid.uuid4())}
    refused = kowalski.post("/readings/W-1001-2", data=today)
    assert refused.status_code == 429
    assert "limit odczytów tego wodomierza wysłanych w ciągu 24 godzin (5)" in refused.get_data(as_text=True)
    assert kept(app, "reading") == 10
