"""KSeF on the invoice pages: the bakery's (K-1004) invoices show their checked number and the verification
code (KOD I) on the page and its printable view, the offline one says so, a number failing the checksum is shown
as unverified; consumers' invoices show nothing extra; the FA(3) file is offered only where it exists."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest

from adapters.core.ksef import file_hash
from adapters.testing.fake import FakeBilling
from fixtures.simulator.store import DemoStore
from gateway.app import create_app
from gateway.cli.db import upgrade_database
from tests.portal.doubles import ScriptedBilling
from tests.portal_fixtures import add_account, sign_in

NUMBERED, NUMBERED_KSEF = "INV-202610-00182", "7561000001-20261005-06359AE5CBA9-B2"  # FV/00182/10/2026
OFFLINE = "INV-202611-00153"  # FV/00153/11/2026: issued offline, no number yet
TAMPERED, TAMPERED_KSEF = "INV-202609-00147", "7561000001-20260905-15DFD007B965-64"  # the ERP's CRC is 63
BAD_HASH = "INV-202608-00153"  # FV/00153/08/2026, whose hash comes garbled
NO_HASH = "INV-202607-00183"  # FV/00183/07/2026, whose hash the ERP leaves out
NO_HASH_LINK = "https://qr.ksef.mf.gov.pl/invoice/7561000001/05-07-2026/ebpEHwT4KGwqDIfP3TEz57MsHGyb0qQutAgLM8Nq17g"
CONSUMERS = "INV-202611-00117"  # K-1001's FV/00117/11/2026
# kody-qr.md's format: host, seller's NIP, issue date DD-MM-YYYY, the FA(3) file's SHA-256 in Base64URL.
NUMBERED_LINK = "https://qr.ksef.mf.gov.pl/invoice/7561000001/05-10-2026/kOGtrGxjRLTLqG7v4sXkrEPHXNin0DBb9XEi1rTwJ8Q"
OFFLINE_LINK = "https://qr.ksef.mf.gov.pl/invoice/7561000001/05-11-2026/imYSIrrySXLIWvCglW9hawNzo4tHVOaAfqwfr3DNDLs"


class TamperingBilling(ScriptedBilling):
    """The demo ERP, except that one invoice comes with a KSeF number whose checksum is wrong, one with a hash
    that is no Base64 SHA-256, one without its hash."""

    def _call(self, operation: str, *args: Any) -> Any:
        answer = super()._call(operation, *args)
        if operation == "list_invoices":
            return [self._tampered(invoice) for invoice in answer]
        return self._tampered(answer) if operation == "get_invoice" else answer

    @staticmethod
    def _tampered(invoice: Any) -> Any:
        if invoice.id == BAD_HASH:
            return dataclasses.replace(invoice, ksef_hash="<script>alert(1)</script>")
        if invoice.id == NO_HASH:
            return dataclasses.replace(invoice, ksef_hash=None)
        return dataclasses.replace(invoice, ksef_number=TAMPERED_KSEF) if invoice.id == TAMPERED else invoice


@pytest.fixture
def billing() -> ScriptedBilling:
    return TamperingBilling(FakeBilling(DemoStore.load()))


@pytest.fixture
def bakery(sign_in_as):
    return sign_in_as("piekarnia", "K-1004")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_business_invoice_shows_its_checked_number_and_kod_i_on_the_page_and_on_paper(bakery):
    for url in (f"/invoices/{NUMBERED}", f"/invoices/{NUMBERED}/print"):
        page = _page(bakery, url)
        assert NUMBERED_KSEF in page and "niezweryfikowany" not in page
        assert f'href="{NUMBERED_LINK}"' in page or NUMBERED_LINK in page
        assert 'class="ksef-qr-code"' in page and f"<figcaption><span class=\"ksef\">{NUMBERED_KSEF}</span>" in page
    details, printable = _page(bakery, f"/invoices/{NUMBERED}"), _page(bakery, f"/invoices/{NUMBERED}/print")
    assert "Pobierz XML (KSeF)" in details and f'href="/invoices/{NUMBERED}/print"' in details
    assert "NIP 7561000001" in printable and "NIP 7562000003" in printable
    assert 'class="site-nav' not in printable and "Pobierz XML" not in printable


def test_the_xml_download_is_the_file_kod_i_names(bakery, billing):
    response = bakery.get(f"/invoices/{NUMBERED}/ksef-xml")
    assert response.status_code == 200 and response.mimetype == "application/octet-stream"
    assert "Faktura FV-00182-10-2026.xml" in response.headers["Content-Disposition"]
    assert file_hash(response.data) == "kOGtrGxjRLTLqG7v4sXkrEPHXNin0DBb9XEi1rTwJ8Q="
    assert bakery.get(f"/invoices/{OFFLINE}/ksef-xml").status_code == 404, "no KSeF number, no file to offer"
    assert [args for operation, args in billing.calls if operation == "get_invoice_xml"] == [("K-1004", NUMBERED)]


def test_an_offline_invoice_is_labelled_offline_and_offers_no_xml(bakery):
    page = _page(bakery, f"/invoices/{OFFLINE}")
    assert "jeszcze nienadany: faktura została wystawiona w trybie offline KSeF" in page
    assert NUMBERED_KSEF not in page and OFFLINE_LINK in page
    assert '<figcaption><span class="ksef">OFFLINE</span>' in page and "Pobierz XML" not in page


def test_a_number_failing_the_checksum_is_shown_unverified_without_a_code_and_logged(bakery, caplog):
    caplog.set_level(logging.WARNING, logger="gateway.web.ksef")
    page = _page(bakery, f"/invoices/{TAMPERED}")
    assert TAMPERED_KSEF in page and "niezweryfikowany: numer nie ma poprawnej sumy kontrolnej KSeF" in page
    assert 'class="ksef-qr-code"' not in page and "qr.ksef.mf.gov.pl" not in page
    warnings = [record.getMessage() for record in caplog.records if record.name == "gateway.web.ksef"]
    assert warnings and all(TAMPERED_KSEF in text and "K-1004" not in text for text in warnings)


def test_a_garbled_hash_draws_no_code_but_the_number_still_shows_checked(bakery):
    page = _page(bakery, f"/invoices/{BAD_HASH}")
    assert "7561000001-20260805-5726AE86CFCE-53" in page and "niezweryfikowany" not in page
    assert 'class="ksef-qr-code"' not in page and "<script>alert" not in page
    assert "System rozliczeniowy nie przekazał danych kodu weryfikacyjnego tej faktury." in page


def test_without_a_hash_from_the_erp_kod_i_takes_it_from_the_fa3_file(bakery, billing):
    page = _page(bakery, f"/invoices/{NO_HASH}")
    assert NO_HASH_LINK in page and 'class="ksef-qr-code"' in page
    assert ("get_invoice_xml", ("K-1004", NO_HASH)) in billing.calls


def test_a_consumers_invoice_shows_nothing_of_ksef(kowalski):
    for url in (f"/invoices/{CONSUMERS}", f"/invoices/{CONSUMERS}/print"):
        page = _page(kowalski, url)
        assert "KSeF" not in page and "ksef-qr" not in page
    assert kowalski.get(f"/invoices/{CONSUMERS}/ksef-xml").status_code == 404


def test_the_environment_setting_picks_the_qr_host_and_an_unknown_one_refuses_the_start(config, billing):
    app = create_app({**config, "KSEF_ENVIRONMENT": "test", "ERP_NOT_OFFERED": ["get_invoice_xml"]}, billing=billing)
    upgrade_database(app)
    add_account(app, login="piekarnia", customer_id="K-1004", email="biuro@example.com")
    client = app.test_client()
    assert sign_in(client, login="piekarnia").status_code == 302
    page = _page(client, f"/invoices/{NUMBERED}")
    assert NUMBERED_LINK.replace("https://qr.", "https://qr-test.") in page
    assert "Pobierz XML" not in page and client.get(f"/invoices/{NUMBERED}/ksef-xml").status_code == 404
    without_hash = _page(client, f"/invoices/{NO_HASH}")
    assert "7561000001-20260705-" in without_hash and 'class="ksef-qr-code"' not in without_hash
    with pytest.raises(ValueError, match="KSEF_ENVIRONMENT must be one of prd, demo, test, not 'production'"):
        create_app({**config, "KSEF_ENVIRONMENT": "production"}, billing=billing)
