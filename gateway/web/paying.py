"""The "How to pay" box: the customer's own account, the utility as recipient, amount, title and the transfer
QR code of the Polish banks' recommendation (ZBP "2D" code), which banking apps scan."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import ClassVar

import segno
from flask import Flask, current_app
from flask_babel import gettext as _
from markupsafe import Markup

from adapters.core.accounts import grouped
from adapters.core.errors import ErpError
from adapters.core.records import Customer
from gateway.erp.billing import billing
from gateway.web.ownership import customer_id

# The recommendation's limits: an amount in grosze of six digits, a 20-character name, a 32-character title,
# 160 characters in all; "000000" leaves the amount to the payer.
MAX_AMOUNT = Decimal("9999.99")
TYPED_AMOUNT = "000000"
NAME_LENGTH, TITLE_LENGTH, MAX_PAYLOAD = 20, 32, 160
# Codes kept per process, the least recently shown going first: about 2.4 kB of SVG each.
QR_CODES_KEPT = 256
GROSZ = Decimal("0.01")
# "|" separates the fields; control characters have no place in a transfer.
_NOT_IN_FIELD = re.compile(r"[|\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class PaymentBox:
    """What the box shows; no account means the ERP gave none and the customer pays as the invoice says."""

    amount: Decimal | None
    title: str
    recipient: str
    address: str
    account: str | None = None
    qr: Markup | None = None
    limit: ClassVar[Decimal] = MAX_AMOUNT  # the largest amount a code can carry, for the box's note

    @property
    def amount_in_code(self) -> bool:
        return self.amount is not None and self.amount <= MAX_AMOUNT


def _field(text: str, length: int) -> str:
    return " ".join(_NOT_IN_FIELD.sub(" ", text).split())[:length].strip()


def zbp_payload(nip: str, account: str, amount: Decimal | None, name: str, title: str) -> str:
    """The nine fields in the recommendation's order: NIP, country, account, grosze, name, title, three reserved;
    an amount above 9 999,99 zł or unknown is left to the payer to type."""
    if amount is None or amount > MAX_AMOUNT:
        grosze = TYPED_AMOUNT
    else:
        grosze = f"{int(amount.quantize(GROSZ, ROUND_HALF_UP) / GROSZ):06d}"
    nip_digits = re.sub(r"\D", "", nip)
    fields = [nip_digits if len(nip_digits) == 10 else "", "PL", account, grosze,
              _field(name, NAME_LENGTH), _field(title, TITLE_LENGTH), "", "", ""]
    payload = "|".join(fields)
    assert len(payload) <= MAX_PAYLOAD, "the fields' own limits keep the code within 160 characters"
    return payload


@lru_cache(maxsize=QR_CODES_KEPT)
def qr_svg(customer: str, payload: str, label: str, svgclass: str = "pay-qr-code") -> Markup:
    """UTF-8 bytes with error correction L, as the recommendation asks; inline SVG needs neither an image route
    nor a CSP exception, and sizes by CSS (no width or height of its own). Kept per customer and payload:
    drawing one costs more than the rest of the start page."""
    code = segno.make_qr(payload, error="l", boost_error=False, encoding="utf-8")
    svg = code.svg_inline(omitsize=True, title=label, svgclass=svgclass, lineclass=None, light="#fff")
    return Markup(svg)


def balance_title() -> str:
    """Replaced, not str.format(): a stray brace in the utility's setting must not break the page."""
    return str(current_app.config["PAYMENT_BALANCE_TITLE"]).replace("{customer_id}", customer_id())


def _account(customer: Customer | None) -> str | None:
    """The account from the customer the page already has, else from the ERP (a cached read); a page whose ERP
    did not answer still tells how to pay."""
    if customer is not None:
        return customer.payment_account
    try:
        return billing().get_customer(customer_id()).payment_account
    except ErpError:
        return None


def payment_box(amount: Decimal | None, title: str | None = None,
                customer: Customer | None = None) -> PaymentBox | None:
    """The box for a sum owed (None when nothing is), with the invoice number or the balance title; an invoice
    whose remainder the ERP cannot tell gets a box without an amount, a balance nothing."""
    if (amount is None and title is None) or (amount is not None and amount <= 0):
        return None
    config = current_app.config
    box = PaymentBox(amount, title or balance_title(), str(config["UTILITY_NAME"]), str(config["UTILITY_ADDRESS"]))
    account = _account(customer)
    if account is None:
        return box
    payload = zbp_payload(str(config["UTILITY_NIP"] or ""), account, amount,
                          str(config["PAYMENT_QR_RECIPIENT"] or config["UTILITY_NAME"]), box.title)
    return replace(box, account=grouped(account), qr=qr_svg(customer_id(), payload, _("Transfer QR code")))


def init_paying(app: Flask) -> None:
    app.add_template_global(payment_box)
