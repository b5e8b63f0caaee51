"""The consumption chart's geometry: bars inside the drawing, scaled to a round top, labels that fit, a far-out
period cut at the top instead of flattening the others."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.core.records import Reading, ReadingStatus, ReadingType
from gateway.pages.readings.chart import (
    BOTTOM,
    HEIGHT,
    LEFT,
    MAX_LABELS,
    TOP,
    WIDTH,
    build_chart,
    chart_readings,
    nice_ceiling,
)


def reading(day: date, consumption: str | None, status: ReadingStatus = ReadingStatus.ACCEPTED) -> Reading:
    used = None if consumption is None else Decimal(consumption)
    return Reading("W-1", day, Decimal(100), used, ReadingType.REMOTE, status)


MONTHLY = [reading(date(2020, 1, 31) + timedelta(days=30 * n), f"{5 + n % 7}.250") for n in range(60)]


@pytest.mark.parametrize("value, top", [(Decimal("0"), 1), (Decimal("0.3"), Decimal("0.5")), (Decimal("7"), 10),
                                        (Decimal("12.5"), 20), (Decimal("20"), 20), (Decimal("430"), 500)])
def test_the_axis_top_is_a_round_number_at_least_the_peak(value, top):
    assert nice_ceiling(value) == top


def test_the_last_24_periods_by_default_or_a_chosen_year():
    assert chart_readings(MONTHLY) == MONTHLY[-24:]
    assert {r.date.year for r in chart_readings(MONTHLY, 2021)} == {2021}


def test_readings_without_consumption_and_rejected_ones_draw_no_bar():
    first = reading(date(2026, 1, 1), None)
    rejected = reading(date(2026, 2, 1), "99.000", ReadingStatus.REJECTED)
    chart = build_chart([first, rejected, reading(date(2026, 3, 1), "4.000")])
    assert chart is not None and [bar.reading.date for bar in chart.bars] == [date(2026, 3, 1)]
    assert build_chart([first, rejected]) is None


def test_a_negative_correction_is_drawn_as_zero():
    chart = build_chart([reading(date(2026, 1, 1), "-2.000"), reading(date(2026, 2, 1), "3.000")])
    assert chart is not None and chart.bars[0].height == 0 and chart.total == Decimal("3.000")


def test_the_description_figures_are_right():
    chart = build_chart(MONTHLY[:3])
    assert chart is not None
    assert chart.total == Decimal("18.750") and chart.average == Decimal("6.25") and chart.peak == MONTHLY[2]


@given(st.lists(st.decimals(0, 10_000, places=3), min_size=1, max_size=150))
def test_bars_stay_inside_the_drawing_and_labels_never_crowd(values):
    readings = [reading(date(2015, 1, 1) + timedelta(days=31 * n), str(v)) for n, v in enumerate(values)]
    chart = build_chart(readings, year=None)
    assert chart is not None
    for bar in chart.bars:
        assert LEFT <= bar.x and bar.x + bar.width <= WIDTH + 0.1
        assert 0 <= bar.y and bar.y + bar.height <= HEIGHT
    assert sum(1 for bar in chart.bars if bar.label) <= MAX_LABELS
    top = chart.ticks[-1].value
    assert [bar.cut for bar in chart.bars] == [v > top for v in values[-len(chart.bars):]]


def _periods(*values: str) -> list[Reading]:
    return [reading(date(2025, 1, 31) + timedelta(days=30 * n), value) for n, value in enumerate(values)]


PLOT = HEIGHT - TOP - BOTTOM


def test_one_very_large_reading_is_cut_and_does_not_flatten_the_others():
    usual = ["6.000", "8.500", "7.250", "11.000", "9.000", "5.500", "10.250", "7.750"]
    chart = build_chart(_periods(*usual[:4], "4620.000", *usual[4:]))
    assert chart is not None
    assert chart.ticks[-1].value == 20, "the scale fits the usual periods"
    assert [bar.cut for bar in chart.bars] == [False] * 4 + [True] + [False] * 4
    assert chart.bars[4].height == PLOT and chart.bars[4].y == TOP
    assert chart.bars[3].height == PLOT * 11 / 20, "11 m³ of 20 stays a bar of its own"
    assert chart.peak.consumption == Decimal("4620.000") and chart.total == Decimal("4685.250")


@pytest.mark.parametrize("values, top", [
    (["10.000", "10.000", "10.000", "10.000", "11.000"], 20),  # no spread at all: a bit more is no outlier
    (["0.000", "0.000", "0.000", "0.000", "0.000", "5.000"], 5),  # a summer plot: empty months, one season
    (["3.000", "40.000", "900.000"], 1000),  # too few periods to call one of them unusual
    (["2.000", "4.000", "6.000", "8.000", "10.000", "24.000"], 50),  # high, but within the spread
])
def test_no_bar_is_cut_without_a_far_out_period(values, top):
    chart = build_chart(_periods(*values))
    assert chart is not None and chart.ticks[-1].value == top
    assert not chart.has_cut
