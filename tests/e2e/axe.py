"""axe-core in the test browser: injected past the portal's CSP, run with its default rules."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from playwright.sync_api import Page

from tests.e2e.stack import AXE

SERIOUS = ("serious", "critical")

# axe.run with its default rules (WCAG 2.0/2.1 A and AA plus best practices); only what fails is returned.
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@lru_cache(maxsize=1)
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def inject_axe(page: Page) -> None:
    """Through the DevTools protocol: the portal's CSP (rightly) refuses any script element it did not serve,
    so `add_script_tag` would be blocked; evaluate is not, and needs no CSP bypass."""
    page.evaluate(axe_source())


def serious_violations(page: Page) -> list[dict[str, Any]]:
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in SERIOUS]
