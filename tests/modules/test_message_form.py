"""The message form: the customer chooses the kind (none is preselected), and sees the files chosen before sending."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.modules.test_messages import sent_drafts

KIND_SELECT = re.compile(r'<select[^>]*id="kind"[^>]*>(.*?)</select>', re.S)


def _kind_options(page: str) -> list[tuple[str, str, bool]]:
    found = KIND_SELECT.search(page)
    assert found, page
    options = re.findall(r'<option([^>]*)value="([^"]*)"([^>]*)>([^<]*)</option>', found.group(1))
    return [(value, label, "selected" in before + after) for before, value, after, label in options]


def test_no_kind_is_preselected(kowalski):
    page = kowalski.get("/messages/new").get_data(as_text=True)
    assert _kind_options(page) == [("", "— prosimy wybrać —", False), ("complaint", "reklamacja", False),
                                   ("inquiry", "zapytanie", False), ("request", "wniosek", False)]
    assert re.search(r'<select[^>]*id="kind"[^>]*required', page)


@pytest.mark.parametrize("kind", [None, ""])
def test_a_message_without_a_kind_is_not_sent_and_says_why(kowalski, billing, kind):
    data = {"subject": "Pytanie o fakturę", "body": "Proszę o wyjaśnienie.", "idempotency_key": str(uuid.uuid4())}
    if kind is not None:
        data["kind"] = kind
    response = kowalski.post("/messages/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="error" id="kind-error">Prosimy wybrać rodzaj zgłoszenia.</p>' in page
    assert "Pytanie o fakturę" in page and sent_drafts(billing) == []
    assert not [value for value, _label, selected in _kind_options(page) if selected and value]


def test_the_kind_chosen_is_kept_when_another_field_is_wrong(kowalski):
    data = {"kind": "inquiry", "subject": "", "body": "Treść", "idempotency_key": str(uuid.uuid4())}
    page = kowalski.post("/messages/new", data=data).get_data(as_text=True)
    assert [value for value, _label, selected in _kind_options(page) if selected] == ["inquiry"]


def test_the_chosen_files_have_a_place_to_be_listed_by_the_portals_own_script(kowalski):
    page = kowalski.get("/messages/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*data-file-list="attachments-chosen"[^>]*type="file"', page)
    assert '<div id="attachments-chosen" class="file-list" aria-live="polite" hidden>' in page
    assert "Pliki wybrane do wysłania:" in page
    assert '<script src="/static/js/attachments.js" defer></script>' in page
    with kowalski.get("/static/js/attachments.js") as script:
        assert script.status_code == 200 and "humanSize" in script.get_data(as_text=True)
