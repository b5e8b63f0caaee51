"""`BENCH_FIGURES` picks figures to run while working on one, with those they are measured against."""

from __future__ import annotations

import pytest

from bench.run import chosen_figures


@pytest.mark.parametrize("given, chosen", [("", set()), ("1", {"1"}), (" 2, 3 ,", {"2", "3"}), ("8", {"1", "8"}),
                                           ("7,8", {"1", "7", "8"})])
def test_chosen_figures_bring_the_figures_they_are_measured_against(monkeypatch, given, chosen):
    monkeypatch.setenv("BENCH_FIGURES", given)
    assert chosen_figures() == chosen
