"""Geometry of the merchant page's server-rendered SVG charts (pure).

The page draws these with ``templates/monitoring/charts.html`` (Jinja escapes every label;
the shapes carry CSS classes from the dashboard's stylesheet, so the strict CSP needs no
inline style and no script). Coordinates are in the SVG's ``viewBox`` units.

* ``funnel_chart(steps)``: one horizontal bar per (label, count), widths proportional to the
  largest count (a non-zero count is at least 2 units wide, so it never looks like zero),
  each with its rate from the step before (``None`` for the first and after a zero).
* ``band_chart(labels, estimates)``: a rate per day as a line with its interval as a band
  behind it; days without an estimate split the line and the band (a gap, never a zero).
  The y axis runs from 0 to a rounded ceiling of the highest interval bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bff.experiments.proportions import Estimate
from bff.monitoring.dashboard.axis import nice_ceiling

FUNNEL_WIDTH, LABEL_WIDTH, BAR_HEIGHT, BAR_GAP = 640, 170, 26, 10
BAND_WIDTH, BAND_HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    rate: float | None
    y: float
    width: float


@dataclass(frozen=True)
class FunnelChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    estimate: Estimate


@dataclass(frozen=True)
class BandChart:
    width: int
    height: int
    lines: tuple[str, ...]  # ``points`` attributes of polylines (one per run of days)
    bands: tuple[str, ...]  # ``points`` attributes of polygons (one per run of days)
    points: tuple[Point, ...]
    y_ticks: tuple[tuple[float, float], ...]  # (y, value)
    x_labels: tuple[tuple[float, str], ...]
    plot: tuple[float, float, float, float]  # left, top, right, bottom

    @property
    def empty(self) -> bool:
        return not self.points


def funnel_chart(steps: Sequence[tuple[str, int]]) -> FunnelChart:
    """The bars of ``steps`` (see the module contract)."""
    top = max((count for _, count in steps), default=0)
    room = FUNNEL_WIDTH - LABEL_WIDTH - 90  # space for the count and rate after the bar
    bars = []
    for i, (label, count) in enumerate(steps):
        width = 0.0 if top <= 0 or count <= 0 else max(2.0, room * count / top)
        before = steps[i - 1][1] if i else 0
        rate = count / before if i and before else None
        bars.append(Bar(label, count, rate, i * (BAR_HEIGHT + BAR_GAP), round(width, 1)))
    height = max(1, len(steps)) * (BAR_HEIGHT + BAR_GAP)
    return FunnelChart(FUNNEL_WIDTH, height, LABEL_WIDTH, BAR_HEIGHT, tuple(bars))


def band_chart(labels: Sequence[str], estimates: Sequence[Estimate | None]) -> BandChart:
    """A line of ``estimates`` over ``labels`` with interval bands (see the module contract)."""
    if len(labels) != len(estimates):
        raise ValueError("one estimate per label")
    highs = [e.high for e in estimates if e is not None]
    ceiling = nice_ceiling(max(highs, default=0.0), when_empty=0.01)
    left, top, right, bottom = LEFT, TOP, BAND_WIDTH - RIGHT, BAND_HEIGHT - BOTTOM
    count = len(labels)

    def x_of(index: int) -> float:
        return round(left + (right - left) * (index / (count - 1) if count > 1 else 0.5), 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * value / ceiling, 1)

    points: list[Point] = []
    lines: list[str] = []
    bands: list[str] = []
    run: list[tuple[int, Estimate]] = []
    for index, estimate in [*enumerate(estimates), (count, None)]:
        if estimate is not None:
            run.append((index, estimate))
            points.append(Point(x_of(index), y_of(estimate.value), labels[index], estimate))
            continue
        if run:
            lines.append(" ".join(f"{x_of(i)},{y_of(e.value)}" for i, e in run))
            upper = [f"{x_of(i)},{y_of(e.high)}" for i, e in run]
            lower = [f"{x_of(i)},{y_of(e.low)}" for i, e in reversed(run)]
            bands.append(" ".join(upper + lower))
            run = []
    ticks = tuple((y_of(ceiling * step / 4), ceiling * step / 4) for step in range(5))
    every = max(1, math.ceil(count / 6))
    x_labels = tuple((x_of(i), labels[i]) for i in range(0, count, every))
    return BandChart(
        BAND_WIDTH, BAND_HEIGHT, tuple(lines), tuple(bands), tuple(points), ticks, x_labels,
        (left, top, right, bottom),
    )  # fmt: skip
