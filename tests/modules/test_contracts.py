"""Contracts: grouped per premise, the details of one, the signed scan previewed and downloaded (audited)."""

from __future__ import annotations

import json

from sqlalchemy import select

from adapters.core.errors import ErpUnavailable
from gateway.db.database import db
from gateway.db.models import AuditEntry

STRANGERS_CONTRACT = "U-1002-1"


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_contracts_are_grouped_per_premise_by_address(kowalski):
    page = _text(kowalski.get("/contracts/"))
    house, garden = page.index("ul. Klonowa 7"), page.index("ROD „Pod Lipami”")
    assert house < page.index("UM/2015/00412") < page.index("UM/2003/00218") < garden < page.index("UM/2019/01127")
    assert "obowiązująca" in page and "rozwiązana" in page
    assert "obowiązuje od 01.07.2003 do 30.06.2015" in page


def test_the_list_names_premises_by_id_when_the_customer_data_is_unavailable(kowalski, billing):
    billing.fail("get_customer", ErpUnavailable("get_customer", "down"))
    response = kowalski.get("/contracts/")
    assert response.status_code == 200
    assert "P-1001-1" in _text(response) and "UM/2015/00412" in _text(response)


def test_the_details_show_every_term_of_the_contract(kowalski):
    page = _text(kowalski.get("/contracts/U-1001-1"))
    for text in ("UM/2015/00412", "ul. Klonowa 7", "15.06.2015", "01.07.2015", "na czas nieokreślony",
                 "G1 – gospodarstwa domowe", "miesięczny", "obowiązująca", "Otwórz skan", "Pobierz skan"):
        assert text in page, text


def test_without_a_scan_the_details_say_none_is_held_and_the_scan_is_404(kowalski, billing):
    page = _text(kowalski.get("/contracts/U-1001-2"))
    assert "nie posiada skanu" in page and "/contracts/U-1001-2/scan" not in page
    billing.calls.clear()
    assert kowalski.get("/contracts/U-1001-2/scan").status_code == 404
    assert kowalski.get("/contracts/U-1001-2/scan/download").status_code == 404
    assert not [call for call in billing.calls if call[0] == "get_contract_scan"]


def test_the_scan_previews_inline_and_downloads_as_an_attachment_both_audited(app, kowalski):
    preview = kowalski.get("/contracts/U-1001-1/scan")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert preview.headers["Content-Disposition"].startswith("inline")
    assert preview.data.startswith(b"%PDF")
    download = kowalski.get("/contracts/U-1001-1/scan/download")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Cache-Control"] == "no-store"
    with app.app_context():
        entries = db().scalars(select(AuditEntry).where(AuditEntry.action == "contract.scan.download")).all()
        assert [json.loads(entry.detail)["inline"] for entry in entries] == [True, False]
        assert all(entry.login == "kowalski" for entry in entries)


def test_an_unknown_contract_is_404(kowalski):
    assert kowalski.get("/contracts/U-9999-9").status_code == 404
    assert kowalski.get("/contracts/..%2F..%2Fetc").status_code == 404


def test_another_customers_contract_is_404_and_never_reaches_the_erp(kowalski, billing):
    for url in (f"/contracts/{STRANGERS_CONTRACT}", f"/contracts/{STRANGERS_CONTRACT}/scan",
                f"/contracts/{STRANGERS_CONTRACT}/scan/download"):
        billing.calls.clear()
        response = kowalski.get(url)
        assert response.status_code == 404
        assert "UM/2017/00634" not in _text(response)
        assert not [call for call in billing.calls if STRANGERS_CONTRACT in call[1]]


def test_the_owner_sees_their_own_contract(nowak):
    assert nowak.get(f"/contracts/{STRANGERS_CONTRACT}").status_code == 200
