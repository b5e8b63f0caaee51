"""The consumption chart's geometry, worked out on the server: the page draws it as SVG without JavaScript."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from adapters.core.records import Reading, ReadingStatus
from gateway.erp.reading_rules import counted

PERIODS = 24
# Drawing units: a phone shows the 480-wide drawing at about 300 px, so text of 16 units stays legible.
WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 6, 28, 30
FONT_SIZE = 16
MAX_LABELS = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    reading: Reading
    label: str | None

    @property
    def pending(self) -> bool:
        return self.reading.status is ReadingStatus.PENDING

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    y: float
    value: Decimal


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    total: Decimal
    peak: Reading
    first: date
    last: date
    width: int = WIDTH
    height: int = HEIGHT
    font_size: int = FONT_SIZE
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM

    @property
    def tick_places(self) -> int:
        """Enough decimals for the half-way tick to read exactly."""
        return 1 if self.ticks[-1].value >= 1 else 3

    @property
    def has_pending(self) -> bool:
        return any(bar.pending for bar in self.bars)

    @property
    def average(self) -> Decimal:
        return self.total / len(self.bars)


def chart_readings(readings: Iterable[Reading], year: int | None = None, periods: int = PERIODS) -> list[Reading]:
    """Readings that closed a period: the chosen year's, or the last `periods` of them."""
    closing = [r for r in counted(readings) if r.consumption is not None]
    if year is not None:
        return [r for r in closing if r.date.year == year]
    return closing[-periods:]


def nice_ceiling(value: Decimal) -> Decimal:
    """The axis top: 1, 2 or 5 times a power of ten, at least the value (and never zero)."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** math.floor(math.log10(float(value)))
    for step in (Decimal(1), Decimal(2), Decimal(5), Decimal(10)):
        if value <= step * power:
            return step * power
    return Decimal(10) * power


def build_chart(readings: Iterable[Reading], year: int | None = None) -> Chart | None:
    """Bars of each period's consumption (negative corrections drawn as zero); None with nothing to draw."""
    chosen = chart_readings(readings, year)
    if not chosen:
        return None
    values = [max(Decimal(0), r.consumption or Decimal(0)) for r in chosen]
    top = nice_ceiling(max(values))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(chosen)
    every = math.ceil(len(chosen) / MAX_LABELS)
    bars = []
    for index, (reading, value) in enumerate(zip(chosen, values)):
        height = float(value / top) * plot_height
        label = f"{reading.date:%m.%y}" if index % every == 0 else None
        bars.append(Bar(round(LEFT + index * slot + slot * 0.15, 1), round(TOP + plot_height - height, 1),
                        round(slot * 0.7, 1), round(height, 1), reading, label))
    ticks = [Tick(round(TOP + plot_height * (1 - part), 1), top * Decimal(str(part))) for part in (0, 0.5, 1)]
    peak = max(chosen, key=lambda r: r.consumption or Decimal(0))
    return Chart(bars, ticks, sum(values, Decimal(0)), peak, chosen[0].date, chosen[-1].date)
