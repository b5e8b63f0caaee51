"""The kit's names are the ones docs/adapters.md lists: IT reads the page, not the source."""

from __future__ import annotations

import re
from pathlib import Path

import adapters.kit

DOC = Path(__file__).resolve().parents[2] / "docs" / "adapters.md"
# The table under "The kit: what a plugin may import": its first column's backquoted names.
TABLE = re.compile(r"## The kit: what a plugin may import\n(.*?)\n\n\*\*Versions", re.S)


def documented_names() -> set[str]:
    rows = TABLE.search(DOC.read_text(encoding="utf-8"))
    assert rows, "the kit's table is missing from docs/adapters.md"
    names = set()
    for row in (line for line in rows.group(1).splitlines() if line.startswith("| `")):
        first_column = row.split(" | ")[0]
        names |= {name.split("(")[0] for name in re.findall(r"`([^`]+)`", first_column)}
    return names


def test_every_name_of_the_kit_is_documented_and_every_documented_name_exists():
    exported = set(adapters.kit.__all__)
    assert all(hasattr(adapters.kit, name) for name in exported)
    enums = {"ContractStatus", "MeterStatus", "ReadingType", "ReadingStatus", "SettlementKind", "DocumentCategory",
             "MessageKind", "MessageStatus", "TaxIdKind"}  # the table says "and the enums (...)"
    assert documented_names() == exported - enums
