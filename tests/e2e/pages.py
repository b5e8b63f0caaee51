"""Every page of the portal as a customer reaches it, for axe and `make screenshots`, and the texts the tests
look for, in the page's language (Polish from the catalogue, English as the source strings)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable

from babel.messages.pofile import read_po
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.stack import DEMO_PASSWORD, ONE_TIME_PASSWORD, ROOT

CATALOGUE = ROOT / "gateway" / "translations" / "pl" / "LC_MESSAGES" / "messages.po"
DATASET = ROOT / "fixtures" / "demo" / "dataset.json"
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=360, height=740)


@lru_cache(maxsize=1)
def _polish() -> dict[str, str]:
    with CATALOGUE.open("rb") as po_file:
        catalog = read_po(po_file)
    return {str(message.id): str(message.string) for message in catalog
            if message.id and message.string and not message.fuzzy and not isinstance(message.id, tuple)}


def text(language: str, msgid: str, **values: Any) -> str:
    """What the portal shows for a source string: the catalogue's Polish, or the English source itself."""
    shown = _polish().get(msgid, msgid) if language == "pl" else msgid
    return shown % values if values else shown


@lru_cache(maxsize=1)
def dataset() -> dict[str, Any]:
    return dict(json.loads(DATASET.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Customer:
    """The ids a test needs from the demo dataset, so they follow it when `make dataset` changes it."""

    id: str

    @property
    def data(self) -> dict[str, Any]:
        return dict(dataset()["customers"][self.id])

    def active_meter(self) -> dict[str, Any]:
        return next(meter for meter in self.data["meters"] if meter["status"] == "active")

    def last_value(self, meter_id: str) -> Decimal:
        counted = [r for r in self.data["readings"][meter_id] if r["status"] != "rejected"]
        return Decimal(max(counted, key=lambda r: r["readingDate"])["value"])

    def first(self, kind: str, key: str) -> str:
        return str(self.data[kind][0][key])


KOWALSKI, NOWAK, NOWY = Customer("K-1001"), Customer("K-1002"), Customer("K-1003")
PIEKARNIA = Customer("K-1004")  # the bakery: a business customer whose invoices are in KSeF
LOGINS = {"kowalski": DEMO_PASSWORD, "nowak": DEMO_PASSWORD, "nowy": ONE_TIME_PASSWORD, "piekarnia": DEMO_PASSWORD,
          "zarzadca": DEMO_PASSWORD}


def sign_in(page: Page, base: str, login: str, password: str | None = None) -> None:
    page.goto(f"{base}/sign-in")
    page.locator("#login").fill(login)
    page.locator("#password").fill(password or LOGINS[login])
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#password")).to_have_count(0)


def implausible(customer: Customer, meter_id: str) -> str:
    """Far above anything the meter's history allows without a confirmation."""
    return f"{customer.last_value(meter_id) + 5000:.3f}".replace(".", ",")


@dataclass(frozen=True)
class Visit:
    """One page (or one state of a page, such as a form with its errors) and the account that sees it."""

    name: str
    account: str | None
    open: Callable[[Page, str], None]


def _goto(path: str) -> Callable[[Page, str], None]:
    def open_page(page: Page, base: str) -> None:
        page.goto(base + path)

    return open_page


def _submit_empty(path: str, form: str) -> Callable[[Page, str], None]:
    """The form sent with its required fields left empty: the page with every error next to its field."""

    def open_page(page: Page, base: str) -> None:
        page.goto(base + path)
        # The server's errors are wanted, not the browser's own required-field bubbles.
        page.locator(form).first.evaluate("form => { form.noValidate = true; }")
        for field in page.locator(f"{form} input[type=text], {form} input[type=password], {form} textarea").all():
            if field.is_visible():
                field.fill("")
        page.locator(f"{form} button[type=submit]").first.click()
        expect(page.locator(f"{form} .error").first).to_be_visible()

    return open_page


def _failed_sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/sign-in")
    page.locator("#login").fill("nikt-taki")
    page.locator("#password").fill("not-the-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[role=alert]")).to_be_visible()


def _reading_to_confirm(page: Page, base: str) -> None:
    meter = KOWALSKI.active_meter()["meterId"]
    page.goto(f"{base}/readings/{meter}")
    page.locator("#value").fill(implausible(KOWALSKI, meter))
    page.locator(".reading-form button[type=submit]").click()
    expect(page.locator("#confirm")).to_be_visible()


def visits() -> list[Visit]:
    """Every page a customer can reach, signed out, at the first sign-in and signed in."""
    meter = KOWALSKI.active_meter()["meterId"]
    contract = next(c["contractId"] for c in KOWALSKI.data["contracts"] if c["status"] == "active")
    invoice, message = KOWALSKI.first("invoices", "invoiceId"), KOWALSKI.first("messages", "messageId")
    ksef_invoice = next(i["invoiceId"] for i in PIEKARNIA.data["invoices"] if i["ksefNumber"])
    return [
        Visit("sign-in", None, _goto("/sign-in")),
        Visit("sign-in-failed", None, _failed_sign_in),
        Visit("password-reset", None, _goto("/password-reset")),
        Visit("password-reset-errors", None, _submit_empty("/password-reset", "main form")),
        Visit("password-reset-link-invalid", None, _goto("/password-reset/not-a-valid-link")),
        Visit("terms", None, _goto("/terms/regulamin-ibok")),
        Visit("welcome", "nowy", _goto("/welcome")),
        Visit("welcome-errors", "nowy", _submit_empty("/welcome", "main form")),
        Visit("home", "kowalski", _goto("/")),
        Visit("contracts", "kowalski", _goto("/contracts/")),
        Visit("contract", "kowalski", _goto(f"/contracts/{contract}")),
        Visit("meters", "kowalski", _goto("/meters/?serial=js25")),
        Visit("meter", "kowalski", _goto(f"/meters/{meter}")),
        Visit("readings", "kowalski", _goto("/readings/")),
        Visit("reading-history", "kowalski", _goto(f"/readings/{meter}")),
        Visit("reading-errors", "kowalski", _submit_empty(f"/readings/{meter}", ".reading-form")),
        Visit("reading-confirm", "kowalski", _reading_to_confirm),
        Visit("invoices", "kowalski", _goto("/invoices/")),
        Visit("invoice", "kowalski", _goto(f"/invoices/{invoice}")),
        Visit("settlements", "kowalski", _goto("/settlements/")),
        Visit("payment-confirm", "kowalski", _goto("/payments/confirm?overdue=1")),
        Visit("downloads", "kowalski", _goto("/downloads/")),
        Visit("messages", "kowalski", _goto("/messages/")),
        Visit("message", "kowalski", _goto(f"/messages/{message}")),
        Visit("message-new", "kowalski", _goto("/messages/new")),
        Visit("message-errors", "kowalski", _submit_empty("/messages/new", ".messages-form")),
        Visit("settings", "kowalski", _goto("/settings/")),
        Visit("settings-errors", "kowalski", _submit_empty("/settings/", "form[action$='/password']")),
        Visit("not-found", "kowalski", _goto("/invoices/INV-NO-SUCH")),
        Visit("invoice-ksef", "piekarnia", _goto(f"/invoices/{ksef_invoice}")),
        Visit("invoice-print", "piekarnia", _goto(f"/invoices/{ksef_invoice}/print")),
        Visit("home-manager", "zarzadca", _goto("/")),
    ]
