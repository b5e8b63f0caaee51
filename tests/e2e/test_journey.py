"""A new customer's whole first visit, in Debian's Chromium against the demo on loopback: at desktop width,
at 360 px on a phone, and in English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize, expect

from gateway.web.i18n import format_decimal
from tests.e2e.pages import DESKTOP, NOWY, PHONE, implausible, sign_in, text
from tests.e2e.stack import ONE_TIME_PASSWORD, ROOT, Contexts, Portal

pytestmark = pytest.mark.browser

FIRST_PASSWORD = "Moja woda w Szymiszowie 2026"
SECOND_PASSWORD = "Kran w ogrodzie kapie od wtorku"
ATTACHMENT = ROOT / "fixtures" / "demo" / "files" / "documents" / "DOC-1003-1-Protokol-przekazania-posesji.pdf"


@dataclass
class Journey:
    """One customer in one browser context, with the page's language to look for texts in."""

    page: Page
    base: str
    language: str
    width: int
    tmp_path: Path

    def t(self, msgid: str, **values: object) -> str:
        return text(self.language, msgid, **values)

    def main(self) -> Locator:
        return self.page.locator("main")

    def heading(self, msgid: str, **values: object) -> None:
        expect(self.page.locator("h1")).to_have_text(self.t(msgid, **values))

    def success(self) -> str:
        """A confirmation the portal flashed, and no error next to it."""
        notice = self.page.locator(".notice-success")
        expect(notice).to_be_visible()
        expect(self.page.locator(".notice-error, .error")).to_have_count(0)
        return notice.inner_text()

    def menu(self, msgid: str) -> None:
        """Open another module from the main menu, as a customer does: on a phone through its button first."""
        nav = self.page.get_by_role("navigation", name=self.t("Main menu"))
        if self.width < DESKTOP["width"]:
            nav.locator("summary").click()
        nav.get_by_role("link", name=self.t(msgid), exact=True).click()
        # On a phone the next page starts with the menu closed again: its links are there, not shown.
        current = nav.get_by_role("link", name=self.t(msgid), exact=True, include_hidden=True)
        expect(current).to_have_attribute("aria-current", "page")

    def download(self, name: str) -> bytes:
        with self.page.expect_download() as started:
            self.page.get_by_role("link", name=name, exact=True).click()
        saved = self.tmp_path / started.value.suggested_filename
        started.value.save_as(saved)
        return saved.read_bytes()


def start(contexts: Contexts, portal: Portal, viewport: ViewportSize, language: str,
          tmp_path: Path) -> tuple[BrowserContext, Journey]:
    context = contexts.new(viewport)
    journey = Journey(context.new_page(), portal.url, language, viewport["width"], tmp_path)
    journey.page.goto(portal.url + "/")
    expect(journey.page).to_have_url(re.compile(r"/sign-in"))
    if language == "en":
        journey.page.get_by_role("button", name="English").click()
    expect(journey.page.locator("html")).to_have_attribute("lang", language)
    return context, journey


def first_sign_in(journey: Journey) -> None:
    """The one-time password, both terms, then a password of the customer's own."""
    sign_in(journey.page, journey.base, "nowy", ONE_TIME_PASSWORD)
    journey.heading("Welcome to the customer portal")
    expect(journey.page.get_by_role("navigation", name=journey.t("Main menu"))).to_have_count(0)
    for box in journey.page.locator("main input[type=checkbox]").all():
        box.check()
    journey.page.locator("#new_password").fill(FIRST_PASSWORD)
    journey.page.locator("#confirm_password").fill(FIRST_PASSWORD)
    journey.page.get_by_role("button", name=journey.t("Accept and continue")).click()
    journey.heading("Customer data")
    expect(journey.main()).to_contain_text("Piotr Nowy")


def every_module(journey: Journey) -> None:
    for label, heading in [("Contracts", "Contracts"), ("Meters", "Meters"), ("Readings", "Readings"),
                           ("Invoices", "Invoices"), ("Settlements", "Settlements"), ("Downloads", "Downloads"),
                           ("Messages", "Messages"), ("Settings", "Settings"), ("Customer data", "Customer data")]:
        journey.menu(label)
        journey.heading(heading)


def filter_meters(journey: Journey, serial: str) -> None:
    journey.menu("Meters")
    journey.page.locator("#serial").fill(serial[-5:].lower())
    journey.page.get_by_role("button", name=journey.t("Filter")).click()
    expect(journey.page.locator("tbody tr")).to_have_count(1)
    expect(journey.page.locator("tbody")).to_contain_text(serial)
    journey.page.locator("#serial").fill("no-such-meter")
    journey.page.get_by_role("button", name=journey.t("Filter")).click()
    expect(journey.main()).to_contain_text(journey.t("No meter matches the filter."))
    journey.page.get_by_role("link", name=journey.t("Show all")).click()
    expect(journey.page.locator("tbody tr")).to_have_count(1)


def submit_reading(journey: Journey, meter: dict[str, str]) -> None:
    """A value far above the usual asks for a confirmation and a reason before it goes."""
    page = journey.page
    page.get_by_role("link", name=meter["serialNumber"], exact=True).click()
    journey.heading("Meter %(serial)s", serial=meter["serialNumber"])
    page.get_by_role("link", name=journey.t("Readings and submitting a reading")).click()
    journey.heading("Readings of meter %(serial)s", serial=meter["serialNumber"])
    assert journey.download(journey.t("Download the whole history (CSV)")).startswith(
        ("\ufeff" + journey.t("Date") + ";").encode())
    value = implausible(NOWY, meter["meterId"])
    page.locator("#value").fill(value)
    page.get_by_role("button", name=journey.t("Submit the reading")).click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".confirm-step .notice")).to_contain_text(journey.t(
        "Please check it. If it is right, confirm it and say why the consumption is high (for example a leak "
        "or filling a pool)."))
    expect(page.locator("#value")).to_have_value(value)
    page.locator("#confirm").check()
    page.locator("#reason").fill("Napełnianie basenu w ogrodzie")
    page.get_by_role("button", name=journey.t("Submit the reading")).click()
    # Sent at once (with the ERP's reference) or accepted into the outbox: either way it names the value.
    shown = format_decimal(Decimal(value.replace(",", ".")), 3)
    assert f"{shown} m³" in journey.success()


def send_message(journey: Journey) -> None:
    journey.menu("Messages")
    journey.page.get_by_role("link", name=journey.t("Write a message")).click()
    journey.heading("Write a message")
    subject = f"Kapiący kran ({journey.language}, {journey.width} px)"
    journey.page.locator("#kind").select_option("inquiry")
    journey.page.locator("#subject").fill(subject)
    journey.page.locator("#body").fill("Dzień dobry,\nczy woda będzie wyłączona w przyszłym tygodniu?")
    journey.page.locator("#attachments").set_input_files(ATTACHMENT)
    journey.page.get_by_role("button", name=journey.t("Send the message")).click()
    journey.heading("Messages")
    journey.success()
    expect(journey.main()).to_contain_text(subject)


def invoice_pdf(journey: Journey, invoice: dict[str, str]) -> None:
    """The PDF opens in the browser (inline) and downloads as a file; both are real PDFs."""
    journey.menu("Invoices")
    journey.page.get_by_role("link", name=invoice["invoiceNumber"], exact=True).click()
    journey.heading("Invoice %(number)s", number=invoice["invoiceNumber"])
    preview = journey.page.get_by_role("link", name=journey.t("View PDF"))
    shown = journey.page.request.get(journey.base + str(preview.get_attribute("href")))
    assert shown.status == 200 and shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline") and shown.body().startswith(b"%PDF-")
    assert journey.download(journey.t("Download PDF")).startswith(b"%PDF-")


def settlements_csv(journey: Journey) -> None:
    journey.menu("Settlements")
    journey.page.locator("#kind").select_option("invoice")
    journey.page.get_by_role("button", name=journey.t("Show"), exact=True).click()
    expect(journey.page).to_have_url(re.compile(r"kind=invoice"))
    lines = journey.download(journey.t("Download CSV")).decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:2] == [journey.t("Kind"), journey.t("Document number")]
    entries = [entry for entry in NOWY.data["settlements"]["entries"] if entry["entryType"] == "invoice"]
    assert sorted(line.split(";")[1] for line in lines[1:]) == sorted(entry["documentNumber"] for entry in entries)


def paper_invoices(journey: Journey) -> None:
    """Nowy agreed to e-invoices with his contract; he goes back to paper."""
    journey.menu("Settings")
    journey.page.get_by_role("button", name=journey.t("Switch e-invoices off")).click()
    # Changed at once, or recorded and passed on through the outbox: either confirmation will do.
    assert journey.success() in {
        journey.t("E-invoices are now off."),
        journey.t("Your choice (e-invoices off) has been accepted by the portal. It is waiting to be passed on to the "
                  "billing system."),
    }


def change_password(journey: Journey) -> None:
    """Right after the e-invoice change, still on the settings page."""
    journey.page.locator("#current_password").fill(FIRST_PASSWORD)
    journey.page.locator("#new_password").fill(SECOND_PASSWORD)
    journey.page.locator("#confirm_password").fill(SECOND_PASSWORD)
    journey.page.get_by_role("button", name=journey.t("Save the new password")).click()
    assert journey.t("Your password has been changed. You have been signed out on other devices.") in journey.success()


def sign_out_for_good(journey: Journey, context: BrowserContext, contexts: Contexts) -> None:
    """After signing out, a copy of the session cookie taken before is worth nothing; the new password works."""
    copied = context.storage_state()
    journey.page.get_by_role("button", name=journey.t("Sign out")).click()
    expect(journey.page).to_have_url(re.compile(r"/sign-in"))
    expect(journey.page.locator(".notice")).to_contain_text(journey.t("You have been signed out."))
    thief = contexts.new(DESKTOP, storage_state=copied)
    stolen = thief.new_page()
    stolen.goto(journey.base + "/settings/")
    expect(stolen).to_have_url(re.compile(r"/sign-in"))
    expect(stolen.locator("#password")).to_be_visible()
    sign_in(journey.page, journey.base, "nowy", SECOND_PASSWORD)
    journey.heading("Customer data")


@pytest.mark.parametrize(("viewport", "language"), [(DESKTOP, "pl"), (PHONE, "pl"), (DESKTOP, "en")],
                         ids=["desktop", "phone", "english"])
def test_new_customer_journey(viewport: ViewportSize, language: str, contexts: Contexts, fresh_portal: Portal,
                              tmp_path: Path) -> None:
    context, journey = start(contexts, fresh_portal, viewport, language, tmp_path)
    first_sign_in(journey)
    every_module(journey)
    meter = NOWY.active_meter()
    filter_meters(journey, meter["serialNumber"])
    submit_reading(journey, meter)
    send_message(journey)
    invoice_pdf(journey, max(NOWY.data["invoices"], key=lambda invoice: invoice["issueDate"]))
    settlements_csv(journey)
    paper_invoices(journey)
    change_password(journey)
    sign_out_for_good(journey, context, contexts)
    expect(journey.page.locator("html")).to_have_attribute("lang", language)
