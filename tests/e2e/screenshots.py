"""`make screenshots`: every page of the demo, at desktop width (1280 px) and on a phone (360 px), as PNG files
in docs/screenshots/ (`python -m tests.e2e.screenshots [folder]`)."""

from __future__ import annotations

import io
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.pages import DESKTOP, PHONE, Visit, sign_in, visits
from tests.e2e.stack import ROOT, Portal, launch_chromium, running_demo

FOLDER = ROOT / "docs" / "screenshots"
# A long page is cut here: the top of a page is what a reader of the README needs, and the files stay small.
MAX_HEIGHT = 2000


def _signed_in(browser: Browser, portal: Portal, login: str) -> Any:
    context = browser.new_context()
    sign_in(context.new_page(), portal.url, login)
    state = context.storage_state()
    context.close()
    return state


def shoot(browser: Browser, portal: Portal, folder: Path, pages: list[Visit]) -> list[Path]:
    states = {login: _signed_in(browser, portal, login) for login in {v.account for v in pages if v.account}}
    written = []
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        phone = viewport == PHONE
        for visit in pages:
            context = browser.new_context(viewport=viewport, device_scale_factor=1, is_mobile=phone, has_touch=phone,
                                          locale="pl-PL", timezone_id="Europe/Warsaw",
                                          storage_state=states.get(visit.account or ""))
            page = context.new_page()
            visit.open(page, portal.url)
            height = min(MAX_HEIGHT, int(page.evaluate("() => document.documentElement.scrollHeight")))
            path = folder / f"{visit.name}-{label}.png"
            shot = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
            save_small(shot, path)
            written.append(path)
            context.close()
    return written


def save_small(png: bytes, path: Path) -> None:
    """128 colours are plenty for these flat pages and make the files a third of the size."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def main(folder: Path = FOLDER) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="ibok-screenshots-") as scratch, running_demo(Path(scratch)) as portal:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, language="pl")
            written = shoot(browser, portal, folder, visits())
            browser.close()
    total = sum(path.stat().st_size for path in written)
    print(f"{len(written)} screenshots, {total / 1e6:.1f} MB, in {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
