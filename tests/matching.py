"""Finding a piece of a page in a test: a pattern that is not there fails the test by name, not with None."""

from __future__ import annotations

import re


def search(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """re.search that fails the test, quoting the pattern, when the page does not hold it."""
    found = re.search(pattern, text, flags)
    assert found is not None, f"the page holds nothing matching {pattern!r}"
    return found
