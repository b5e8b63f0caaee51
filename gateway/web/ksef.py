"""What an invoice page shows of KSeF: the number as checked, the offline state and the verification QR code
(KOD I), built from the invoice's fields and KSEF_ENVIRONMENT; invoices outside KSeF get nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from flask import Flask, current_app
from markupsafe import Markup

from adapters.core import ksef
from adapters.core.records import InvoiceSummary
from gateway.web.ownership import customer_id
from gateway.web.paying import qr_svg

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KsefMark:
    """The invoice's place in KSeF as the page shows it; `link` and `qr` are None without a usable hash."""

    number: str | None  # as the ERP sent it, shown even when it fails the check
    verified: bool
    offline: bool
    label: str  # under the QR code: the KSeF number, or OFFLINE while it has none
    link: str | None = None
    qr: Markup | None = None


def ksef_mark(invoice: InvoiceSummary) -> KsefMark | None:
    """None for an invoice outside KSeF (a consumer's); a number failing the Ministry's checksum is marked
    unverified and logged (a KSeF number identifies an invoice, not a person: no customer id goes with it)."""
    number = invoice.ksef_number
    if not number and not invoice.ksef_offline:
        return None
    if number and not ksef.is_valid_number(number):
        log.warning("KSeF number %s fails its format or checksum: shown as unverified", ascii(number))
        return KsefMark(number, False, invoice.ksef_offline, number)  # no code would vouch for a number not KSeF's
    return _with_code(KsefMark(number, bool(number), invoice.ksef_offline, number or ksef.OFFLINE_LABEL), invoice)


def _with_code(mark: KsefMark, invoice: InvoiceSummary) -> KsefMark:
    """KOD I when the ERP sent the file's hash and the seller's NIP is known (the utility's, else the number's)."""
    seller = str(current_app.config["UTILITY_NIP"] or "") or (ksef.seller_nip(mark.number) if mark.number else "")
    if not invoice.ksef_hash or not seller:
        return mark
    host = ksef.QR_HOSTS[current_app.config["KSEF_ENVIRONMENT"]]
    link = ksef.verification_link(host, seller, invoice.issued_on, invoice.ksef_hash)
    if link is None:
        log.warning("KSeF hash of an invoice is not a Base64 SHA-256: no verification code drawn")
        return mark
    return replace(mark, link=link, qr=qr_svg(customer_id(), link, mark.label, "ksef-qr-code"))


def init_ksef(app: Flask) -> None:
    """Refuse to start with an environment KSeF does not have: every code would point nowhere."""
    environment = app.config.setdefault("KSEF_ENVIRONMENT", "prd")
    if environment not in ksef.QR_HOSTS:
        raise ValueError(f"KSEF_ENVIRONMENT must be one of {', '.join(ksef.QR_HOSTS)}, not {environment!r}")
