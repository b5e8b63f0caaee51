"""The Dynamics NAV example's tests share one simulator on loopback (tests/nav/simulator.py)."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.nav.simulator import nav_url, reset

__all__ = ["nav_url"]


@pytest.fixture
def nav_erp(nav_url: str) -> Iterator[str]:
    """The simulator with no fault switched on and no call counted, left that way for the next test."""
    reset(nav_url)
    yield nav_url
    reset(nav_url)
