"""The message form in the browser: the portal's own script lists the chosen files (names and Polish sizes)
before sending, under the CSP; without JavaScript the form is the same, only without the list."""

from __future__ import annotations

from typing import Any, Callable

from playwright.sync_api import FilePayload, expect

from tests.e2e.pages import PHONE
from tests.e2e.stack import Contexts, Portal

PDF = b"%PDF-1.4\n" + b"0" * 12_000 + b"\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c636088ea01"
    "00014400e7c057cd700000000049454e44ae426082"
)


def test_the_chosen_files_are_listed_before_sending(contexts: Contexts, shared_portal: Portal,
                                                    signed_in_state: Callable[[str], Any]) -> None:
    page = contexts.new(PHONE, storage_state=signed_in_state("kowalski")).new_page()
    page.goto(shared_portal.url + "/messages/new")
    chosen = page.locator("#attachments-chosen")
    expect(chosen).to_be_hidden()
    page.locator("#attachments").set_input_files([
        FilePayload(name="skan umowy.pdf", mimeType="application/pdf", buffer=PDF),
        FilePayload(name="licznik.png", mimeType="image/png", buffer=PNG),
    ])
    expect(chosen).to_be_visible()
    expect(chosen.locator("li")).to_have_text(["skan umowy.pdf (11,7 kB)", "licznik.png (69 B)"])
    page.locator("#attachments").set_input_files([])
    expect(chosen).to_be_hidden()


def test_without_javascript_the_form_has_no_list_and_no_default_kind(
        contexts: Contexts, shared_portal: Portal, signed_in_state: Callable[[str], Any]) -> None:
    page = contexts.new(PHONE, storage_state=signed_in_state("kowalski"), java_script_enabled=False).new_page()
    page.goto(shared_portal.url + "/messages/new")
    expect(page.locator("#attachments-chosen")).to_be_hidden()
    expect(page.locator("#kind")).to_have_value("")
    expect(page.locator("#kind option:checked")).to_have_text("— prosimy wybrać —")
