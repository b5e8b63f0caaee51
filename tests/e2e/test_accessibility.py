"""WCAG 2.1 AA as a browser sees it: axe-core on every page (desktop and phone, the main ones in English too),
the language of each page, a label on every field, errors tied to their fields, reflow at 320 px, and the main
tasks done with the keyboard alone, with a focus that can be seen at every stop."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import ViewportSize, expect

from tests.e2e.axe import inject_axe, serious_violations
from tests.e2e.pages import DESKTOP, NOWAK, PHONE, Visit, implausible, text, visits
from tests.e2e.stack import DEMO_PASSWORD, Contexts, Portal

pytestmark = pytest.mark.browser

VISITS = visits()
FORMS_WITH_ERRORS = [visit for visit in VISITS if visit.name.endswith("-errors")]
ENGLISH = [visit for visit in VISITS if visit.name in {"sign-in-failed", "terms", "welcome-errors", "home",
                                                       "reading-confirm", "invoice", "settlements", "message-errors"}]
NARROWEST = ViewportSize(width=320, height=640)

FIELDS_WITHOUT_LABEL = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !el.hidden && el.offsetParent !== null)
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML)"""

# Each error message must be read out with its field: the field is marked invalid and described by it.
ERRORS_NOT_TIED = """() => [...document.querySelectorAll('main .error')].filter(error => {
  const field = error.id && document.querySelector(`[aria-describedby~="${error.id}"]`);
  return !field || field.getAttribute('aria-invalid') !== 'true';
}).map(error => error.outerHTML)"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  let behind = el.parentElement, background = 'rgb(255, 255, 255)';
  for (; behind; behind = behind.parentElement) {
    const colour = getComputedStyle(behind).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') { background = colour; break; }
  }
  return {element: el.outerHTML.slice(0, 120), outlineStyle: style.outlineStyle,
          outlineWidth: parseFloat(style.outlineWidth), outlineColour: style.outlineColor, background: background,
          onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                    && box.top < innerHeight && box.left < innerWidth};
}"""


@dataclass
class ContextPool:
    """One browser context per account, screen and language, shared by the page checks of this module:
    each check opens a page of its own in it (a new context per check would double the suite's time)."""

    contexts: Contexts
    portal: Portal
    state: Callable[[str], Any]
    made: dict[tuple[str | None, int, str], BrowserContext] = field(default_factory=dict)

    def open(self, visit: Visit, viewport: ViewportSize, language: str = "pl") -> Page:
        key = (visit.account, viewport["width"], language)
        if key not in self.made:
            context = self.contexts.new(viewport, storage_state=self.state(visit.account) if visit.account else None)
            context.add_cookies([{"name": "ibok_lang", "value": language, "url": self.portal.url}])
            self.made[key] = context
        page = self.made[key].new_page()
        visit.open(page, self.portal.url)
        return page


@pytest.fixture(scope="module")
def pool(browser: Browser, shared_portal: Portal, signed_in_state: Callable[[str], Any]) -> Iterator[ContextPool]:
    contexts = Contexts(browser)
    yield ContextPool(contexts, shared_portal, signed_in_state)
    contexts.close()


@pytest.fixture
def pooled(pool: ContextPool) -> Iterator[ContextPool]:
    """The pool, with what went wrong in the browser during this check (5xx, script errors) failing it."""
    pool.contexts.problems.clear()
    yield pool
    for context in pool.made.values():
        for page in context.pages:
            page.close()
    assert not pool.contexts.problems, "the browser saw errors:\n" + "\n".join(pool.contexts.problems)


@pytest.mark.parametrize("visit", VISITS, ids=[visit.name for visit in VISITS])
def test_no_serious_or_critical_axe_violation(visit: Visit, pooled: ContextPool) -> None:
    """At desktop width, then the same page narrowed to a phone's 360 px (where tables stack and the menu
    changes), so each page is drawn once."""
    page = pooled.open(visit, DESKTOP)
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    inject_axe(page)
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        assert (width, serious_violations(page)) == (width, [])
        assert (width, page.evaluate(FIELDS_WITHOUT_LABEL)) == (width, [])
    # Reflow (WCAG 1.4.10): at 320 px (a desktop zoomed to 400 %) the page itself never scrolls sideways.
    page.set_viewport_size(NARROWEST)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("visit", ENGLISH, ids=[visit.name for visit in ENGLISH])
def test_no_serious_or_critical_axe_violation_in_english(visit: Visit, pooled: ContextPool) -> None:
    """The same pages with English texts (longer words, other labels); the terms stay Polish and say so."""
    page = pooled.open(visit, DESKTOP, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    inject_axe(page)
    assert serious_violations(page) == []


@pytest.mark.parametrize("visit", FORMS_WITH_ERRORS, ids=[visit.name for visit in FORMS_WITH_ERRORS])
def test_errors_are_tied_to_their_fields(visit: Visit, pooled: ContextPool) -> None:
    page = pooled.open(visit, PHONE)
    expect(page.locator("main .error").first).to_be_visible()
    assert page.evaluate(ERRORS_NOT_TIED) == []
    invalid = page.locator("[aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    assert invalid.count() == page.locator("main .field-error").count()


def _luminance(colour: str) -> float:
    channels = [int(value) / 255 for value in re.findall(r"\d+(?:\.\d+)?", colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element is focused; every stop on the way must show a focus ring of at least
    2 px with 3:1 contrast against what is behind it (WCAG 2.4.7 and 1.4.11)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, "the focus left the page"
        stop = focused["element"]
        assert focused["onScreen"], f"focus on something not on screen: {stop}"
        assert focused["outlineStyle"] != "none", f"no visible focus on {stop}"
        assert focused["outlineWidth"] >= 2, f"focus ring too thin on {stop}"
        assert contrast(focused["outlineColour"], focused["background"]) >= 3, f"focus ring too faint on {stop}"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def press_and_load(page: Page, key: str = "Enter") -> None:
    """A key that follows a link or sends a form: wait for the next page before pressing anything else."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(page: Page, selector: str, value: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(value)


def test_keyboard_only_sign_in_reading_and_message(contexts: Contexts, shared_portal: Portal) -> None:
    """The customer's three main tasks without a mouse: sign in, submit a reading (through its confirmation
    step), send a message with a file; no click anywhere, only Tab, typing, Space and Enter."""
    page = contexts.new(DESKTOP).new_page()
    page.goto(shared_portal.url + "/sign-in")
    tab_to(page, ".skip-link")
    type_into(page, "#login", "nowak")
    type_into(page, "#password", DEMO_PASSWORD)
    tab_to(page, "main form button[type=submit]")
    press_and_load(page)
    expect(page.locator("h1")).to_have_text(text("pl", "Customer data"))

    meter = NOWAK.active_meter()
    tab_to(page, "nav a[href$='/readings/']")
    press_and_load(page)
    tab_to(page, f"main a[href$='/readings/{meter['meterId']}']")
    press_and_load(page)
    type_into(page, "#value", implausible(NOWAK, meter["meterId"]))
    press_and_load(page)
    expect(page.locator("#confirm")).to_be_visible()
    tab_to(page, "#confirm")
    page.keyboard.press("Space")
    expect(page.locator("#confirm")).to_be_checked()
    type_into(page, "#reason", "Wyciek w piwnicy")
    tab_to(page, ".reading-form button[type=submit]")
    press_and_load(page)
    expect(page.locator(".notice-success")).to_be_visible()

    tab_to(page, "nav a[href$='/messages/']")
    press_and_load(page)
    tab_to(page, "main a[href$='/messages/new']")
    press_and_load(page)
    tab_to(page, "#kind")
    page.keyboard.press("ArrowDown")
    type_into(page, "#subject", "Zgłoszenie z klawiatury")
    type_into(page, "#body", "Wysłane bez myszy.")
    tab_to(page, "#attachments")
    _choose_file_by_keyboard(page).set_files(FilePayload(name="zdjecie.png", mimeType="image/png", buffer=PNG))
    tab_to(page, ".messages-form button[type=submit]")
    press_and_load(page)
    expect(page.locator(".notice-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Zgłoszenie z klawiatury")


def _choose_file_by_keyboard(page: Any) -> Any:
    """Space on the focused file input opens the chooser; on a loaded machine Chromium sometimes drops the
    first key's activation, so the key is pressed again (still the keyboard, never a click)."""
    for _ in range(3):
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("the file input did not open its chooser from the keyboard")


def test_the_skip_link_moves_the_focus_to_the_content(contexts: Contexts, shared_portal: Portal,
                                                      signed_in_state: Callable[[str], Any]) -> None:
    page = contexts.new(PHONE, storage_state=signed_in_state("kowalski")).new_page()
    page.goto(shared_portal.url + "/invoices/")
    tab_to(page, ".skip-link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('content').contains(document.activeElement)")


# A 1×1 PNG: the portal checks attachments by their content, so it must be a real one.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c636088ea01"
    "00014400e7c057cd700000000049454e44ae426082"
)
