"""The downloads page: public and own documents by category, with size, type and date; downloads audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from adapters.core.errors import ErpUnavailable
from adapters.core.records import DocumentCategory, DocumentInfo
from gateway.db.database import db
from gateway.db.models import AuditEntry
from gateway.pages.downloads.service import group_documents, type_name
from gateway.web.i18n import human_size

OWN, STRANGERS, PUBLIC = "DOC-1001-1", "DOC-1002-1", "DOC-P-003"


def audit_entries(app, action):
    with app.app_context():
        entries = db().scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [json.loads(entry.detail) for entry in entries]


def test_the_list_shows_public_and_own_documents_by_polish_category(kowalski):
    response = kowalski.get("/downloads/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for heading in ("Państwa dokumenty", "Druki", "Taryfy", "Regulaminy"):
        assert heading in page
    assert "Protokół wymiany wodomierza" in page and "Taryfa 2026" in page and "Porozumienie IBOK" in page
    assert "PDF · 11,1 kB · opublikowano 17.03.2025" in page
    assert page.index("Państwa dokumenty") < page.index("Druki") < page.index("Taryfy")


def test_another_customers_own_document_is_not_listed(kowalski):
    page = kowalski.get("/downloads/").get_data(as_text=True)
    assert "Potwierdzenie zgody na e-fakturę" not in page and STRANGERS not in page


def test_the_category_filter_shows_only_that_category(kowalski):
    response = kowalski.get("/downloads/?category=tariff")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Taryfa 2026" in page
    assert "Porozumienie IBOK" not in page and "Protokół wymiany wodomierza" not in page


@pytest.mark.parametrize("category", ["secret", "PERSONAL", "../x"])
def test_an_unknown_category_shows_everything_with_a_message(kowalski, category):
    response = kowalski.get("/downloads/", query_string={"category": category})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "„Kategoria” nie można użyć" in page
    assert "Taryfa 2026" in page and "Porozumienie IBOK" in page


def test_the_customers_own_document_downloads_as_a_pdf_and_is_audited(app, kowalski, billing):
    response = kowalski.get(f"/downloads/{OWN}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    assert ("get_document", ("K-1001", OWN)) in billing.calls
    assert audit_entries(app, "document.download") == [{"document_id": OWN}]


def test_a_public_document_downloads_for_any_customer(kowalski, nowak):
    for client in (kowalski, nowak):
        response = client.get(f"/downloads/{PUBLIC}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"


@pytest.mark.parametrize("document_id", [STRANGERS, "DOC-9999", "x" * 65])
def test_another_customers_or_a_missing_document_is_404_without_asking_the_erp(app, kowalski, billing, document_id):
    billing.calls.clear()
    response = kowalski.get(f"/downloads/{document_id}")
    assert response.status_code == 404
    assert "Potwierdzenie zgody" not in response.get_data(as_text=True)
    assert not [call for call in billing.calls if call[0] == "get_document"]
    assert audit_entries(app, "document.download") == []


def test_an_erp_that_does_not_answer_gives_the_unavailable_page(kowalski, billing):
    billing.fail("list_documents", ErpUnavailable("list_documents", "down"))
    response = kowalski.get("/downloads/")
    assert response.status_code == 503
    assert "niedostępny" in response.get_data(as_text=True)


def test_a_download_the_erp_cannot_serve_is_503_and_not_audited(app, kowalski, billing):
    billing.fail("get_document", ErpUnavailable("get_document", "down"))
    assert kowalski.get(f"/downloads/{OWN}").status_code == 503
    assert audit_entries(app, "document.download") == []


def test_the_menu_links_to_downloads(kowalski):
    assert 'href="/downloads/"' in kowalski.get("/downloads/").get_data(as_text=True)


@pytest.mark.parametrize("size, text", [(0, "0 B"), (512, "512 B"), (1023, "1023 B"), (1024, "1,0 kB"),
                                        (12_595, "12,3 kB"), (1_258_291, "1,2 MB"), (5 * 1024 ** 3, "5,0 GB")])
def test_sizes_are_written_the_polish_way(size, text):
    assert human_size(size) == text


@pytest.mark.parametrize("content_type, name", [("application/pdf", "PDF"), ("image/png; charset=x", "PNG"),
                                                ("application/msword", "DOC"), ("x-unknown/thing", "x-unknown/thing")])
def test_types_have_short_names(content_type, name):
    assert type_name(content_type) == name


def test_groups_keep_their_order_and_put_the_newest_first():
    from datetime import date

    def doc(id, category, day):
        return DocumentInfo(id, id, category, date(2026, 1, day), 1, "application/pdf", True)

    documents = [doc("a", DocumentCategory.FORM, 1), doc("b", DocumentCategory.PERSONAL, 1),
                 doc("c", DocumentCategory.FORM, 9)]
    groups = group_documents(documents)
    assert [(g.category, [d.id for d in g.documents]) for g in groups] == [
        (DocumentCategory.PERSONAL, ["b"]), (DocumentCategory.FORM, ["c", "a"])]
    assert [g.category for g in group_documents(documents, DocumentCategory.TARIFF)] == []
