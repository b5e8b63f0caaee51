"""The "How to pay" box on the invoice page, the start page and settlements: the customer's account from the ERP,
the utility as recipient, what is owed, the title, and a transfer QR code that decodes to the ZBP text."""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader

from adapters.core.errors import ErpUnavailable
from adapters.core.records import Settlements
from adapters.resilience.delegating import DelegatingBilling
from fixtures.demo.people import SELLER
from fixtures.simulator.dataset import DEFAULT_PATH
from gateway.web.paying import qr_svg

K1001_GROUPED = "62 9990 0012 0000 0000 0000 1001"  # fixtures/demo/people.py: the account K-1001's PDFs print
PARTLY_PAID = "INV-202611-00117"  # FV/00117/11/2026: 34,29 zł, of which 17,14 zł remain
UNPAID = "INV-202611-00116"  # FV/00116/11/2026: 166,01 zł
PAID = "INV-202610-00140"
BALANCE_CODE = "7561000001|PL|62999000120000000000001001|018315|SWiK Sp. z o.o.|Saldo K-1001|||"
NO_ACCOUNT_TEXT = "Prosimy o przelew na numer rachunku podany na fakturze."


def _page(client: Any, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _box(page: str) -> str:
    found = re.search(r'<section class="card pay".*?</section>', page, re.S)
    assert found, "the page has a How to pay box"
    return found.group(0)


def _decoded(box: str) -> str:
    """Draw the inline SVG's modules (segno writes each row as horizontal strokes) and read it as a bank app would."""
    view_box = re.search(r'viewBox="0 0 (\d+) \d+"', box)
    strokes = re.search(r'<path stroke="#000" d="([^"]+)"', box)
    assert view_box and strokes, "an inline SVG QR code"
    size, path = int(view_box.group(1)), html.unescape(strokes.group(1))
    scale, x, y = 8, 0.0, 0.0
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "h":
            draw.rectangle([x * scale, int(y) * scale, (x + float(first)) * scale - 1, (int(y) + 1) * scale - 1], 0)
            x += float(first)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            x, y = float(first), float(second)
    (found,) = zxingcpp.read_barcodes(image)
    assert found.ec_level == "L"
    return found.bytes.decode("utf-8")


def test_the_partly_paid_invoice_shows_what_remains_with_its_number_as_title(kowalski):
    box = _box(_page(kowalski, f"/invoices/{PARTLY_PAID}"))
    assert "Jak zapłacić" in box and K1001_GROUPED in box
    assert "Strzeleckie Wodociągi i Kanalizacja Sp. z o.o." in box
    assert "17,14 zł" in box and "FV/00117/11/2026" in box
    assert _decoded(box) == "7561000001|PL|62999000120000000000001001|001714|SWiK Sp. z o.o.|FV/00117/11/2026|||"


def test_an_unpaid_invoice_is_paid_in_full(kowalski):
    box = _box(_page(kowalski, f"/invoices/{UNPAID}"))
    assert "166,01 zł" in box
    assert _decoded(box).split("|")[3:6] == ["016601", "SWiK Sp. z o.o.", "FV/00116/11/2026"]


def test_a_paid_invoice_has_no_box(kowalski):
    assert "Jak zapłacić" not in _page(kowalski, f"/invoices/{PAID}")


def test_the_start_page_and_settlements_ask_for_the_balance(kowalski):
    for path in ("/", "/settlements/"):
        box = _box(_page(kowalski, path))
        assert "183,15 zł" in box and "Saldo K-1001" in box and K1001_GROUPED in box
        assert _decoded(box) == BALANCE_CODE


def test_the_balance_title_is_the_utilitys_to_choose(app, kowalski):
    app.config["PAYMENT_BALANCE_TITLE"] = "Należność {customer_id} {rok}"
    assert "Należność K-1001 {rok}|||" in _decoded(_box(_page(kowalski, "/")))


def test_a_customer_who_owes_nothing_sees_no_box(sign_in_as):
    client = sign_in_as("piekarnia", "K-1004")  # 250,00 zł overpaid
    for path in ("/", "/settlements/"):
        assert "Jak zapłacić" not in _page(client, path)


def test_without_an_account_from_the_erp_the_box_points_to_the_invoice(sign_in_as):
    client = sign_in_as("wspolnota", "K-1005")  # the ERP sends no account for this customer
    box = _box(_page(client, "/"))
    assert NO_ACCOUNT_TEXT in box and "36 358,35 zł" in box and "Saldo K-1005" in box
    assert "<svg" not in box and "Numer rachunku" not in box


def test_when_the_erp_cannot_give_the_customer_the_box_still_says_how_to_pay(kowalski, billing):
    billing.fail("get_customer", ErpUnavailable("get_customer", "down"))
    box = _box(_page(kowalski, "/settlements/"))
    assert NO_ACCOUNT_TEXT in box and "183,15 zł" in box and "<svg" not in box


def test_without_settlements_a_partly_paid_invoice_leaves_the_amount_to_the_customer(kowalski, billing):
    billing.fail("get_settlements", ErpUnavailable("get_settlements", "down"))
    box = _box(_page(kowalski, f"/invoices/{PARTLY_PAID}"))
    assert "Kod nie zawiera kwoty" in box and "Kwota" not in box
    assert _decoded(box).split("|")[3] == "000000"
    assert _decoded(_box(_page(kowalski, f"/invoices/{UNPAID}"))).split("|")[3] == "016601"


class LargeDebt(DelegatingBilling):
    """K-1001 owing more than a transfer code can carry."""

    def _call(self, operation: str, *args: Any) -> Any:
        answer = getattr(self.inner, operation)(*args)
        if isinstance(answer, Settlements):
            return replace(answer, balance=Decimal("12345.67"))
        return answer


@pytest.fixture
def large_debt(billing: Any) -> None:
    billing.inner = LargeDebt(billing.inner)


def test_an_amount_over_the_codes_limit_is_shown_and_left_out_of_the_code(large_debt, kowalski):
    box = _box(_page(kowalski, "/"))
    assert "12 345,67 zł" in box
    assert "Kod przelewu może zawierać kwotę do 9 999,99 zł" in box
    assert _decoded(box) == BALANCE_CODE.replace("018315", "000000")


def test_the_start_page_box_uses_the_customer_the_page_already_read(kowalski, billing):
    billing.calls.clear()
    _box(_page(kowalski, "/"))
    assert [name for name, _ in billing.calls].count("get_customer") == 1


def _printed_account(pdf: bytes) -> str:
    """The account an invoice PDF asks to pay into, as digits (the PDF prints it as an IBAN)."""
    found = re.search(r"rachunek: PL([\d ]+)", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert found, "the PDF names an account"
    return found.group(1).replace(" ", "")


def test_the_page_and_the_invoice_pdf_name_the_same_account(kowalski):
    shown = re.search(r'<dd class="pay-account">([^<]+)</dd>', _box(_page(kowalski, f"/invoices/{UNPAID}")))
    assert shown and shown.group(1) == K1001_GROUPED
    pdf = kowalski.get(f"/invoices/{UNPAID}/download").data
    assert _printed_account(pdf) == shown.group(1).replace(" ", "")


def test_every_demo_customers_pdfs_print_the_account_the_erp_sends():
    dataset = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    files = DEFAULT_PATH.parent / "files"
    for entry in dataset["customers"].values():
        newest, oldest = entry["invoices"][0], entry["invoices"][-1]
        for invoice in (newest, oldest):
            pdf = (files / dataset["files"][f"invoice:{invoice['invoiceId']}"]).read_bytes()
            assert _printed_account(pdf) == entry["customer"]["paymentAccount"]


def test_the_demos_code_names_the_seller_its_pdfs_print(app):
    assert app.config["UTILITY_NIP"] == SELLER["taxId"]


def test_a_code_is_drawn_once_per_customer_and_payload(kowalski):
    """Drawing a code costs more than the rest of the start page: a second view takes the one already drawn."""
    qr_svg.cache_clear()
    first, again = _box(_page(kowalski, "/")), _box(_page(kowalski, "/"))
    assert first == again and qr_svg.cache_info().misses == 1 and qr_svg.cache_info().hits == 1
