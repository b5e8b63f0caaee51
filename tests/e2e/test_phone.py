"""On a 360 × 740 phone: after each form's submit the first problem has the focus on the first screen and leads
to its field; the menu is one button that opens in place; status tags and chart labels are big enough to read;
the messages list fits the screen."""

from __future__ import annotations

import re
from typing import Any, Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import inject_axe, serious_violations
from tests.e2e.pages import DESKTOP, KOWALSKI, PHONE, Visit, text, visits
from tests.e2e.stack import Contexts, Portal

pytestmark = pytest.mark.browser

SUBMITTED = {"sign-in-failed", "password-reset-errors", "welcome-errors", "reading-errors", "reading-confirm",
             "message-errors", "settings-errors"}
FORMS = [visit for visit in visits() if visit.name in SUBMITTED]
MENU = ["Customer data", "Contracts", "Meters", "Readings", "Invoices", "Settlements", "Downloads", "Messages",
        "Settings"]
# Smallest rendered sizes, in CSS pixels at 360 px: body text is 16.
TAG_PX, CHART_PX = 14, 12

# Each SVG text's size as drawn: its font size in drawing units times the drawing's scale on screen.
CHART_TEXT_PX = """() => [...document.querySelectorAll('.chart-svg text')].map(
  t => t.getScreenCTM().a * parseFloat(t.getAttribute('font-size')))"""


@pytest.fixture
def phone(contexts: Contexts, shared_portal: Portal, signed_in_state: Callable[[str], Any]) -> Callable[..., Page]:
    def open_page(visit: Visit) -> Page:
        state = signed_in_state(visit.account) if visit.account else None
        page = contexts.new(PHONE, storage_state=state).new_page()
        visit.open(page, shared_portal.url)
        return page

    return open_page


def kowalski_at(path: str) -> Visit:
    def open_page(page: Page, base: str) -> None:
        page.goto(base + path)

    return Visit(path, "kowalski", open_page)


def on_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


@pytest.mark.parametrize("visit", FORMS, ids=[visit.name for visit in FORMS])
def test_the_first_problem_after_a_submit_is_focused_on_the_first_screen(
        visit: Visit, phone: Callable[..., Page]) -> None:
    page = phone(visit)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert on_first_screen(page, ".error-summary li >> nth=0")
    first_link = summary.locator("li a").first
    if first_link.count():
        target = str(first_link.get_attribute("href"))
        first_link.click()
        expect(page.locator(target)).to_be_focused()
        assert on_first_screen(page, target), "the field the summary links to comes into view"


def test_the_reading_warning_is_on_the_first_screen_and_names_the_confirmation(phone: Callable[..., Page]) -> None:
    """The case the issue measured at 966 px down: the value far above the usual, before its confirmation."""
    page = phone(next(visit for visit in FORMS if visit.name == "reading-confirm"))
    warning = page.locator(".error-summary")
    expect(warning).to_contain_text(text("pl", "Please check before sending"))
    expected = text("pl", "This value is much higher than usual for this meter: up to about %(ceiling)s m³ was "
                          "expected for this date.", ceiling="CEILING")
    pattern = re.escape(expected).replace("CEILING", r"[\d\s,]+")
    expect(warning.locator("a[href='#confirm']")).to_have_text(re.compile(pattern))
    assert on_first_screen(page, ".error-summary a[href='#confirm']")


def _menu_links(page: Page) -> list[Any]:
    nav = page.get_by_role("navigation", name=text("pl", "Main menu"))
    return [nav.get_by_role("link", name=text("pl", label), exact=True) for label in MENU]


def test_the_menu_is_one_button_on_a_phone_that_opens_in_place(phone: Callable[..., Page]) -> None:
    page = phone(kowalski_at("/invoices/"))
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= PHONE["height"] / 4, "the closed menu leaves the screen free"
    links = _menu_links(page)
    for link in links:
        expect(link).to_be_hidden()
    button = page.locator("nav summary")
    expect(button).to_have_text(text("pl", "Menu"))
    button.focus()
    page.keyboard.press("Enter")
    for link in links:
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], "the open menu fits the screen"
        assert box["height"] >= 44, "a finger can hit each link"
    expect(links[4]).to_have_attribute("aria-current", "page")
    inject_axe(page)
    assert serious_violations(page) == []
    page.keyboard.press("Enter")
    expect(links[0]).to_be_hidden()
    # From 40 rem up there is no button: the links stand in a row.
    page.set_viewport_size(DESKTOP)
    expect(button).to_be_hidden()
    for link in links:
        expect(link).to_be_visible()


def test_status_tags_and_chart_labels_are_readable(phone: Callable[..., Page]) -> None:
    meter = KOWALSKI.active_meter()["meterId"]
    page = phone(kowalski_at(f"/readings/{meter}"))
    sizes = page.evaluate(CHART_TEXT_PX)
    assert sizes and min(sizes) >= CHART_PX, sizes
    page.goto(page.url.split("/readings/")[0] + "/messages/")
    tags = page.locator("main .tag")
    expect(tags.first).to_be_visible()
    assert min(tag.evaluate("t => parseFloat(getComputedStyle(t).fontSize)") for tag in tags.all()) >= TAG_PX


def test_the_messages_list_fits_the_phone_with_status_and_replies_in_view(phone: Callable[..., Page]) -> None:
    page = phone(kowalski_at("/messages/"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    first = page.locator("main tbody tr").first
    for label in ("Status", "Replies"):
        cell = first.locator(f"td[data-label='{text('pl', label)}']")
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
