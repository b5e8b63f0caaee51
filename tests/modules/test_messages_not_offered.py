"""The messages page on an ERP that lists no messages, or takes none: what the customer sent stays in sight,
and a form the ERP could never take is not shown."""

from __future__ import annotations

import re
import uuid

import pytest

SENT = {"kind": "complaint", "subject": "Za wysoki rachunek", "body": "Proszę o sprawdzenie odczytu."}


@pytest.fixture
def not_offered() -> list[str]:
    return ["list_messages"]


@pytest.fixture
def config(config, not_offered):
    return {**config, "ERP_NOT_OFFERED": not_offered}


def test_without_a_message_list_the_customers_own_sent_messages_are_listed_taken_or_not(kowalski, deliver, billing):
    empty = kowalski.get("/messages/").get_data(as_text=True)
    assert "W ostatnim czasie nie wysłali Państwo z portalu żadnych wiadomości." in empty
    assert 'href="/messages/"' in empty and 'href="/messages/new"' in empty
    assert "ZG/2026/00039" not in empty
    sent = kowalski.post("/messages/new", data={**SENT, "idempotency_key": str(uuid.uuid4())})
    assert sent.status_code == 302
    waiting = kowalski.get("/messages/").get_data(as_text=True)
    assert "Wysłane z portalu" in waiting and "Za wysoki rachunek" in waiting and "oczekuje na przekazanie" in waiting
    assert deliver().delivered == 1
    taken = kowalski.get("/messages/").get_data(as_text=True)
    assert "Za wysoki rachunek" in taken and "przyjęto w systemie rozliczeniowym" in taken
    assert re.search(r"Numer sprawy: ZG/\d{4}/\d{5}", taken)
    assert "Wkrótce będzie widoczne" not in taken, "an ERP without a list will never show it"
    assert kowalski.get("/messages/MSG-1001-1").status_code == 404
    assert "list_messages" not in {operation for operation, _args in billing.calls}


@pytest.mark.parametrize("not_offered", [["send_message"]])
def test_without_taking_messages_the_list_shows_and_the_form_does_not(kowalski):
    page = kowalski.get("/messages/").get_data(as_text=True)
    assert "ZG/2026/00039" in page
    assert "/messages/new" not in page and "Nowe zgłoszenie" not in page
    assert kowalski.get("/messages/new").status_code == 404
