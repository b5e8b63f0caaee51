"""The consumption chart's geometry: bars inside the drawing, scaled to a round top, labels that fit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.core.records import Reading, ReadingStatus, ReadingType
from gateway.pages.readings.chart import HEIGHT, LEFT, MAX_LABELS, WIDTH, build_chart, chart_readings, nice_ceiling


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
