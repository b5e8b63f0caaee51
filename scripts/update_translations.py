"""Re-extract the portal's strings, merge them into the Polish catalogue, fill in translations given in
extra PO files, and compile. Usage: .venv/bin/python scripts/update_translations.py [extra.po ...]

Several people may run it at once: wrap it in `flock /tmp/ibok-translations.lock` so merges queue up.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "gateway" / "translations"
POT = TRANSLATIONS / "messages.pot"
POLISH = TRANSLATIONS / "pl" / "LC_MESSAGES" / "messages.po"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def run(*args: str) -> None:
    subprocess.run([PYBABEL, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def fill_from(extra: Path) -> int:
    """Copy the translations an extra PO file gives into the Polish catalogue; returns how many."""
    with POLISH.open("rb") as handle:
        catalogue = read_po(handle, locale="pl")
    with extra.open("rb") as handle:
        given = read_po(handle, locale="pl")
    filled = 0
    for message in given:
        # A pgettext entry is found by its context too; a plural one by its singular id.
        target = catalogue.get(message.id, context=message.context) if message.id else None
        if target is not None and message.string:
            target.string = message.string
            target.flags.discard("fuzzy")
            filled += 1
    with POLISH.open("wb") as handle:
        write_po(handle, catalogue, width=100)
    return filled


def main(extras: list[str]) -> None:
    run("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_ngettext:1,2", "--no-location", "-o", str(POT), ".")
    run("update", "--no-fuzzy-matching", "-i", str(POT), "-d", str(TRANSLATIONS))
    for extra in extras:
        print(f"{extra}: {fill_from(Path(extra))} translations filled in")
    run("compile", "-d", str(TRANSLATIONS))


if __name__ == "__main__":
    main(sys.argv[1:])
