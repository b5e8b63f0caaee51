"""The message pages: the list with statuses and replies, the form with its checks, and what reaches the ERP."""

from __future__ import annotations

import io
import json
import re
import uuid

import pytest
from lxml import html
from sqlalchemy import select

from adapters.core.errors import ErpRejected, ErpUnavailable
from gateway.db.database import db
from gateway.db.models import AuditEntry
from tests.modules.test_message_attachments import JPEG_BYTES, PDF_BYTES, PNG_BYTES

# Werkzeug's test client closes a large request's temporary file with the response only on this path.
CLOSES_INPUT = {"follow_redirects": True}
OWN_MESSAGE, STRANGERS_MESSAGE = "MSG-1001-1", "MSG-1002-2"
OWN_PREMISE, STRANGERS_PREMISE = "P-1001-2", "P-1002-1"
OWN_INVOICE, OLD_OWN_INVOICE, STRANGERS_INVOICE = "INV-202611-00117", "INV-202412-00125", "INV-202611-00132"


def message(**overrides):
    data = {"kind": "complaint", "subject": "Za wysoki rachunek", "body": "Proszę o sprawdzenie odczytu.",
            "idempotency_key": str(uuid.uuid4())}
    data.update(overrides)
    return data


def sent_drafts(billing):
    return [call[1][1] for call in billing.calls if call[0] == "send_message"]


def delivered_drafts(deliver, billing):
    deliver()
    return sent_drafts(billing)


def audit_entries(app, action):
    with app.app_context():
        entries = db().scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [json.loads(entry.detail) for entry in entries]


def ids_asked(billing):
    return {str(arg) for _operation, args in billing.calls for arg in args}


# --- The list and the details ------------------------------------------------------------------------


def test_the_list_shows_the_customers_messages_newest_first_in_polish(kowalski):
    response = kowalski.get("/messages/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.index("ZG/2026/00039") < page.index("ZG/2025/00034") < page.index("ZG/2024/00211")
    for text in ("zapytanie", "wniosek", "reklamacja", "w trakcie", "zamknięte", "03.11.2026",
                 "Podwójna opłata abonamentowa za listopad 2024"):
        assert text in page
    assert "ZG/2026/00041" not in page and "Nota odsetkowa" not in page


@pytest.mark.parametrize("query", ["page=x", "page=0", "page=-3"])
def test_a_bad_page_number_shows_the_first_page_with_a_message(kowalski, query):
    response = kowalski.get(f"/messages/?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "„Strona” nie można użyć" in page and "ZG/2026/00039" in page


def test_a_list_the_erp_cannot_give_says_so_and_still_offers_the_form(kowalski, billing):
    billing.fail("list_messages", ErpUnavailable("list_messages", "down"))
    response = kowalski.get("/messages/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "nie odpowiada" in page and 'href="/messages/new"' in page


def test_the_details_show_the_message_its_links_and_the_replies(kowalski):
    response = kowalski.get(f"/messages/{OWN_MESSAGE}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("ZG/2024/00211", "reklamacja", "zamknięte", "na fakturze za listopad", "ul. Klonowa 7",
                 "FV/00125/12/2024", "Biuro Obsługi Klienta SWiK", "FK/00007/12/2024", "20.12.2024 10:05"):
        assert text in page


def test_a_message_without_replies_says_none_came_yet(kowalski):
    page = kowalski.get("/messages/MSG-1001-3").get_data(as_text=True)
    assert "Nie ma jeszcze odpowiedzi" in page and "ROD „Pod Lipami”" in page


@pytest.mark.parametrize("message_id", [STRANGERS_MESSAGE, "MSG-9999", "a" * 70])
def test_another_customers_or_a_missing_message_is_404_showing_nothing_of_it(kowalski, message_id):
    response = kowalski.get(f"/messages/{message_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Nota odsetkowa" not in page and "ZG/2026/00041" not in page


# --- The form -----------------------------------------------------------------------------------------


def test_the_form_offers_only_the_customers_own_premises_and_latest_invoices(kowalski):
    response = kowalski.get("/messages/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'value="{OWN_PREMISE}"' in page and f'value="{OWN_INVOICE}"' in page
    assert STRANGERS_PREMISE not in page and STRANGERS_INVOICE not in page
    assert OLD_OWN_INVOICE not in page  # older than the latest two dozen
    assert len(re.findall(r'<option value="INV-', page)) == 24
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="idempotency_key"', page)
    assert key is not None and uuid.UUID(key.group(1))
    assert 'enctype="multipart/form-data"' in page and 'accept=".pdf,.jpg,.jpeg,.png' in page
    assert "każdy do 3,0 MB" in page


def test_a_customer_with_a_thousand_invoices_gets_a_short_list_and_no_call_per_invoice(sign_in_as, billing):
    client = sign_in_as("wielki", "K-1005")
    billing.calls.clear()
    page = client.get("/messages/new").get_data(as_text=True)
    assert len(re.findall(r'<option value="INV-', page)) == 24
    assert len(billing.calls) <= 2
    assert "Nie wysłano jeszcze żadnych zgłoszeń." in client.get("/messages/").get_data(as_text=True)


def test_a_link_from_an_invoice_preselects_it_even_when_it_is_old(kowalski):
    page = kowalski.get(f"/messages/new?invoice={OLD_OWN_INVOICE}&premise={OWN_PREMISE}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{OLD_OWN_INVOICE}"|<option value="{OLD_OWN_INVOICE}" selected', page)
    assert re.search(rf'<option selected value="{OWN_PREMISE}"|<option value="{OWN_PREMISE}" selected', page)


@pytest.mark.parametrize("query", [f"invoice={STRANGERS_INVOICE}", f"premise={STRANGERS_PREMISE}",
                                   "invoice=../x"])
def test_a_link_with_another_customers_id_is_404_and_the_erp_is_not_asked(kowalski, billing, query):
    billing.calls.clear()
    response = kowalski.get(f"/messages/new?{query}")
    assert response.status_code == 404
    assert query.split("=")[1] not in ids_asked(billing)


def test_the_form_still_works_when_premises_and_invoices_cannot_be_listed(kowalski, billing):
    billing.fail("get_customer", ErpUnavailable("get_customer", "down"))
    billing.fail("list_invoices", ErpUnavailable("list_invoices", "down"))
    response = kowalski.get("/messages/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nie można teraz wyświetlić listy posesji i faktur" in page and 'name="subject"' in page


# --- Sending ----------------------------------------------------------------------------------------------


def test_a_message_is_accepted_delivered_audited_and_listed_with_its_case_number(deliver, app, kowalski, billing):
    response = kowalski.post("/messages/new", data=message(premise_id=OWN_PREMISE, invoice_id=OWN_INVOICE))
    assert response.status_code == 302 and response.headers["Location"].endswith("/messages/")
    assert sent_drafts(billing) == [], "accepted at once; the ERP hears of it from the deliverer"
    page = kowalski.get("/messages/").get_data(as_text=True)
    assert "Państwa zgłoszenie zostało przyjęte" in page and "oczekuje na przekazanie" in page
    [draft] = delivered_drafts(deliver, billing)
    assert (draft.kind.value, draft.subject, draft.premise_id, draft.invoice_id) == (
        "complaint", "Za wysoki rachunek", OWN_PREMISE, OWN_INVOICE)
    [accepted] = audit_entries(app, "message.accepted")
    [delivered] = audit_entries(app, "message.delivered")
    assert accepted["idempotency_key"] == delivered["idempotency_key"] == draft.idempotency_key
    case_number = delivered["reference"]
    assert case_number.startswith("ZG/")
    page = kowalski.get("/messages/").get_data(as_text=True)
    assert page.index(case_number) < page.index("ZG/2026/00039")
    assert "oczekuje na przekazanie" not in page


def test_a_double_submit_files_one_case(deliver, app, kowalski, billing):
    data = message()
    for _ in range(2):
        assert kowalski.post("/messages/new", data=dict(data)).status_code == 302
    keys = {draft.idempotency_key for draft in delivered_drafts(deliver, billing)}
    assert keys == {data["idempotency_key"]}
    assert len(audit_entries(app, "message.delivered")) == 1
    page = kowalski.get("/messages/").get_data(as_text=True)
    assert page.count("Za wysoki rachunek") == 1


def test_a_missing_or_forged_key_is_replaced_by_a_fresh_one(deliver, app, kowalski, billing):
    assert kowalski.post("/messages/new", data=message(idempotency_key="not-a-uuid")).status_code == 302
    [draft] = delivered_drafts(deliver, billing)
    assert uuid.UUID(draft.idempotency_key)


def test_attachments_reach_the_erp_typed_by_their_content_with_safe_names(deliver, app, kowalski, billing):
    files = [(io.BytesIO(PDF_BYTES), "../../skan umowy.pdf"), (io.BytesIO(JPEG_BYTES), "licznik.JPEG"),
             (io.BytesIO(PNG_BYTES), "ekran.png")]
    response = kowalski.post("/messages/new", data=message(attachments=files), content_type="multipart/form-data")
    assert response.status_code == 302
    [draft] = delivered_drafts(deliver, billing)
    assert [(a.filename, a.content_type) for a in draft.attachments] == [
        ("skan umowy.pdf", "application/pdf"), ("licznik.jpg", "image/jpeg"), ("ekran.png", "image/png")]
    assert draft.attachments[0].content == PDF_BYTES


@pytest.mark.parametrize("field, value, error", [
    ("subject", "", "To pole jest wymagane."),
    ("subject", "x" * 201, "Temat może mieć najwyżej 200 znaków."),
    ("body", "   ", "To pole jest wymagane."),
    ("body", "x" * 5001, "Treść może mieć najwyżej 5000 znaków."),
    ("kind", "praise", "Prosimy wybrać rodzaj zgłoszenia."),
])
def test_bad_input_redraws_the_form_with_the_error_and_sends_nothing(kowalski, billing, field, value, error):
    response = kowalski.post("/messages/new", data=message(**{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error in page and "Zgłoszenie nie zostało wysłane" in page
    assert sent_drafts(billing) == []


def test_a_body_of_exactly_the_limit_with_windows_line_breaks_is_accepted(deliver, app, kowalski, billing):
    body = ("x" * 99 + "\r\n") * 50
    assert kowalski.post("/messages/new", data=message(body=body[:-2])).status_code == 302
    assert len(delivered_drafts(deliver, billing)[0].body) == 4999


@pytest.mark.parametrize("field, value, error", [
    ("premise_id", STRANGERS_PREMISE, "Prosimy wybrać jedną ze swoich posesji."),
    ("invoice_id", STRANGERS_INVOICE, "Prosimy wybrać jedną ze swoich faktur."),
    ("invoice_id", "../../x", "Prosimy wybrać jedną ze swoich faktur."),
])
def test_another_customers_premise_or_invoice_is_a_form_error_and_never_sent(kowalski, billing, field, value, error):
    billing.calls.clear()
    response = kowalski.post("/messages/new", data=message(**{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error in page
    assert sent_drafts(billing) == []
    assert value not in ids_asked(billing)
    assert "Nota odsetkowa" not in page


@pytest.mark.parametrize("name, content, error", [
    ("faktura.pdf", PNG_BYTES, "nie zgadza się z rozszerzeniem"),
    ("zdjecie.jpg", PDF_BYTES, "nie zgadza się z rozszerzeniem"),
    ("strona.pdf", b"<html><script>alert(1)</script></html>", "nie jest plikiem PDF, JPEG ani PNG"),
    ("pusty.pdf", b"", "jest pusty"),
])
def test_an_attachment_that_is_not_what_it_claims_is_refused(kowalski, billing, name, content, error):
    data = message(attachments=[(io.BytesIO(content), name)])
    response = kowalski.post("/messages/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error in page and name in page
    assert "prosimy wybrać je ponownie" in page
    assert sent_drafts(billing) == []


def test_more_attachments_than_allowed_are_refused(kowalski, billing):
    files = [(io.BytesIO(PDF_BYTES), f"{n}.pdf") for n in range(4)]
    response = kowalski.post("/messages/new", data=message(attachments=files), content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Można załączyć najwyżej 3 pliki." in response.get_data(as_text=True)
    assert sent_drafts(billing) == []


def test_more_attachments_than_the_erp_takes_are_refused_whatever_is_configured(app, kowalski, billing):
    """The ERP contract takes 10 files a message: a setting of 20 would make every such message undeliverable."""
    app.config["MESSAGE_ATTACHMENT_MAX_FILES"] = 20
    files = [(io.BytesIO(PDF_BYTES), f"{n}.pdf") for n in range(11)]
    response = kowalski.post("/messages/new", data=message(attachments=files), content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Można załączyć najwyżej 10 plików." in response.get_data(as_text=True)
    assert sent_drafts(billing) == []


def test_an_attachment_with_a_too_long_name_is_refused_in_polish(kowalski, billing):
    name = "skan-umowy-" + "ą" * 110 + ".pdf"  # 125 characters
    data = message(attachments=[(io.BytesIO(PDF_BYTES), name)])
    response = kowalski.post("/messages/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert ("Nazwa pliku „skan-umowy-" + "ą" * 29 + "…” ma więcej niż 120 znaków. Prosimy skrócić nazwę i załączyć "
            "plik ponownie.") in response.get_data(as_text=True)
    assert sent_drafts(billing) == []


def test_an_attachment_named_at_the_length_limit_reaches_the_erp_whole(deliver, kowalski, billing):
    name = "s" * 116 + ".pdf"
    data = message(attachments=[(io.BytesIO(PDF_BYTES), name)])
    assert kowalski.post("/messages/new", data=data, content_type="multipart/form-data").status_code == 302
    [draft] = delivered_drafts(deliver, billing)
    assert [attachment.filename for attachment in draft.attachments] == [name]


def test_an_attachment_over_the_configured_size_is_refused(app, kowalski, billing):
    app.config["MESSAGE_ATTACHMENT_MAX_BYTES"] = 1024
    data = message(attachments=[(io.BytesIO(PDF_BYTES + b"\x00" * 1024), "duzy.pdf")])
    response = kowalski.post("/messages/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Plik „duzy.pdf” jest większy niż 1,0 kB." in response.get_data(as_text=True)
    assert sent_drafts(billing) == []


def test_a_request_over_the_size_limit_is_a_polish_413_page(kowalski, billing):
    big = b"%PDF-" + b"\x00" * (11 * 1024 * 1024)
    data = message(attachments=[(io.BytesIO(big), "ogromny.pdf")])
    with kowalski.post("/messages/new", data=data, content_type="multipart/form-data", **CLOSES_INPUT) as response:
        page = response.get_data(as_text=True)
        assert response.status_code == 413
    assert "Zbyt duże załączniki" in page and "łącznie do 10,0 MB" in page
    assert sent_drafts(billing) == []


def test_the_413_page_holds_with_csrf_protection_on(app, kowalski):
    app.config["WTF_CSRF_ENABLED"] = True
    data = message(attachments=[(io.BytesIO(b"%PDF-" + b"\x00" * (11 * 1024 * 1024)), "ogromny.pdf")])
    with kowalski.post("/messages/new", data=data, content_type="multipart/form-data", **CLOSES_INPUT) as response:
        assert response.status_code == 413 and "Zbyt duże załączniki" in response.get_data(as_text=True)


def test_the_erps_refusal_is_shown_in_the_list_in_its_words(deliver, app, kowalski, billing):
    billing.fail("send_message", ErpRejected("send_message", "Temat zawiera niedozwolone znaki."))
    assert kowalski.post("/messages/new", data=message()).status_code == 302
    assert deliver().rejected == 1
    page = kowalski.get("/messages/").get_data(as_text=True)
    assert "odrzucono" in page and "Temat zawiera niedozwolone znaki." in page and "Za wysoki rachunek" in page
    [refusal] = audit_entries(app, "message.rejected")
    assert refusal["code"] == "REJECTED" and "reason" not in refusal  # the ERP's words stay on the row, not audited


def test_an_erp_that_does_not_answer_loses_nothing(deliver, app, kowalski, billing):
    billing.fail("send_message", ErpUnavailable("send_message", "down"))
    assert kowalski.post("/messages/new", data=message(body="Treść do zachowania")).status_code == 302
    assert deliver().retrying == 1
    assert "oczekuje na przekazanie" in kowalski.get("/messages/").get_data(as_text=True)
    assert audit_entries(app, "message.delivered") == []


def test_an_erp_down_while_checking_the_premise_is_the_same_clear_message(kowalski, billing):
    billing.fail("get_customer", ErpUnavailable("get_customer", "down"))
    response = kowalski.post("/messages/new", data=message(premise_id=OWN_PREMISE))
    assert response.status_code == 503
    assert "Nic nie zostało wysłane" in response.get_data(as_text=True)
    assert sent_drafts(billing) == []


def test_the_menu_links_to_messages(kowalski):
    assert 'href="/messages/"' in kowalski.get("/messages/").get_data(as_text=True)


def test_the_list_is_a_stacked_table_whose_cards_name_each_value(kowalski):
    """On a phone each message is a card of labelled lines, like every other list (no sideways scroller)."""
    page = html.fromstring(kowalski.get("/messages/").get_data(as_text=True))
    assert not page.find_class("messages-table")
    first = page.xpath("//table[contains(@class, 'stacked-table')]/tbody/tr")[0]
    cells = [(cell.get("data-label"), " ".join(cell.text_content().split())) for cell in first]
    assert cells == [("Numer sprawy", "ZG/2026/00039"), ("Rodzaj", "zapytanie"),
                     ("Temat", "Zużycie na działce poza sezonem"), ("Wysłano", "03.11.2026 19:20"),
                     ("Status", "w trakcie"), ("Odpowiedzi", "0")]


def test_a_message_the_erp_took_stays_listed_until_its_list_shows_it(deliver_elsewhere, kowalski):
    assert kowalski.post("/messages/new", data=message(subject="Prośba o duplikat")).status_code == 302
    assert deliver_elsewhere().delivered == 1
    page = kowalski.get("/messages/").get_data(as_text=True)
    assert "Prośba o duplikat" in page and "przyjęto w systemie rozliczeniowym" in page
    assert "Wkrótce będzie widoczne w danych systemu rozliczeniowego." in page
