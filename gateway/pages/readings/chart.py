"""The consumption chart's geometry, worked out on the server: the page draws it as SVG without JavaScript."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from adapters.core.records import Reading, ReadingStatus
from gateway.erp.reading_rules import counted

PERIODS = 24
# Drawing units: a 360 px phone shows the 400-wide drawing at about 294 px, so text of 18 units is 13 px there;
# the stylesheet caps the drawing's width on wide screens so that it does not grow past 20 px.
WIDTH, HEIGHT = 400, 240
LEFT, RIGHT, TOP, BOTTOM = 62, 6, 30, 32
FONT_SIZE = 18
# A label of "10.26" is about 50 units wide at that size: six of them fit under the bars.
MAX_LABELS = 6
# A period above the upper quartile by more than this many spreads between the quartiles (Tukey's "far out"),
# and more than this many times the upper quartile, is off the scale: a leak or a meter swap, not the usual.
FAR_OUT = 3
# The gap drawn across a cut bar, this far below its top.
CUT_GAP = 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    reading: Reading
    label: str | None
    # Taller than the scale: drawn up to the top with a gap across it, its value written above.
    cut: bool = False

    @property
    def pending(self) -> bool:
        return self.reading.status is ReadingStatus.PENDING

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def value_x(self) -> float:
        """The cut bar's value centred above it, but kept inside the drawing at either end."""
        room = FONT_SIZE * 2
        return min(max(self.label_x, LEFT + room), WIDTH - RIGHT - room)

    @property
    def gap(self) -> str:
        """A slanted white band across a cut bar, the usual sign of an axis break."""
        left, right, y = self.x - 2, self.x + self.width + 2, self.y + CUT_GAP
        return f"{left},{y + 4} {right},{y - 2} {right},{y + 2} {left},{y + 8}"


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
    def has_cut(self) -> bool:
        return any(bar.cut for bar in self.bars)

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


def robust_top(values: list[Decimal]) -> Decimal:
    """The axis top: round and above every value except those far above the rest, so that one leak does
    not flatten every other bar to a line."""
    peak = max(values)
    if len(values) < 4:
        return nice_ceiling(peak)
    lower, _, upper = statistics.quantiles(values, n=4)
    if upper <= 0:
        return nice_ceiling(peak)
    fence = max(upper + FAR_OUT * (upper - lower), FAR_OUT * upper)
    return nice_ceiling(max(value for value in values if value <= fence))


def build_chart(readings: Iterable[Reading], year: int | None = None) -> Chart | None:
    """Bars of each period's consumption (negative corrections drawn as zero, a far-out one cut at the top);
    None with nothing to draw."""
    chosen = chart_readings(readings, year)
    if not chosen:
        return None
    values = [max(Decimal(0), r.consumption or Decimal(0)) for r in chosen]
    top = robust_top(values)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(chosen)
    every = math.ceil(len(chosen) / MAX_LABELS)
    bars = []
    for index, (reading, value) in enumerate(zip(chosen, values)):
        height = float(min(value, top) / top) * plot_height
        label = f"{reading.date:%m.%y}" if index % every == 0 else None
        bars.append(Bar(round(LEFT + index * slot + slot * 0.15, 1), round(TOP + plot_height - height, 1),
                        round(slot * 0.7, 1), round(height, 1), reading, label, value > top))
    ticks = [Tick(round(TOP + plot_height * (1 - part), 1), top * Decimal(str(part))) for part in (0, 0.5, 1)]
    peak = max(chosen, key=lambda r: r.consumption or Decimal(0))
    return Chart(bars, ticks, sum(values, Decimal(0)), peak, chosen[0].date, chosen[-1].date)
