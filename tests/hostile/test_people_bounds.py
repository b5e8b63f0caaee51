"""Work bounded by what a page shows, for a customer who writes a lot: the message list reads a few columns of
the outbox, filtered and limited in SQL, and never decodes an attachment; writes beyond the per-customer limits
are refused with a Polish 429."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, update

from adapters.core.records import Attachment, MessageDraft, MessageKind
from gateway.db.database import db, engine_of
from gateway.outbox import store
from gateway.outbox.model import DELIVERED, OutboxItem
from tests.modules.test_message_attachments import PDF_BYTES


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
