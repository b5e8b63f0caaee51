"""The browser suite's fixtures: the simulator and the demo portal on loopback, Debian's Chromium, contexts.

The long-lived ones are package-scoped, so the servers and the browser are gone before the rest of the suite runs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.pages import sign_in
from tests.e2e.stack import (
    Contexts,
    Portal,
    launch_chromium,
    prepare_database,
    require_browser_tools,
    reset_simulator,
    running_portal,
    running_simulator,
)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Fails (never skips) when Chromium or axe-core is missing: see require_browser_tools."""
    require_browser_tools()
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def erp_url() -> Iterator[str]:
    """The simulator in a thread of the test process; its request log would only bury a failure's report."""
    requests_log = logging.getLogger("werkzeug")
    level = requests_log.level
    requests_log.setLevel(logging.WARNING)
    try:
        with running_simulator() as url:
            yield url
    finally:
        requests_log.setLevel(level)


@pytest.fixture(scope="package")
def demo_database(tmp_path_factory: pytest.TempPathFactory, erp_url: str) -> Path:
    return prepare_database(tmp_path_factory.mktemp("e2e-template"), erp_url)


@pytest.fixture(scope="package")
def shared_portal(tmp_path_factory: pytest.TempPathFactory, erp_url: str, demo_database: Path) -> Iterator[Portal]:
    """One portal for the tests that read, or write only what no other test looks at."""
    with running_portal(tmp_path_factory.mktemp("e2e-shared"), erp_url, demo_database) as portal:
        yield portal


@pytest.fixture
def fresh_portal(tmp_path: Path, erp_url: str, demo_database: Path) -> Iterator[Portal]:
    """A portal of its own on a new copy of the demo database, over a simulator that forgot earlier writes."""
    reset_simulator(erp_url)
    with running_portal(tmp_path / "portal", erp_url, demo_database) as portal:
        yield portal


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Contexts]:
    made = Contexts(browser)
    yield made
    made.close()
    assert not made.problems, "the browser saw errors:\n" + "\n".join(made.problems)


@pytest.fixture(scope="package")
def signed_in_state(browser: Browser, shared_portal: Portal) -> Callable[[str], Any]:
    """A signed-in session per demo account on the shared portal, made once and reused by every context."""
    states: dict[str, Any] = {}

    def state(login: str) -> Any:
        if login not in states:
            context = browser.new_context()
            sign_in(context.new_page(), shared_portal.url, login)
            states[login] = context.storage_state()
            context.close()
        return states[login]

    return state
