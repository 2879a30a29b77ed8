"""A merchant's figures day by day, and today against yesterday and last week (pure).

``day_figures(days, funnel, orders, exposed)`` sums, for each UTC day of ``days`` (ISO
strings, oldest first), the funnel counters of every campaign, variant and placement
(``bff.attribution.funnel.FunnelRow``), the last-touch orders and their value per currency
(``AttributedOrders``, the same rule as the console's results), and takes the distinct
exposed visits of that day from ``exposed`` (day -> count). The conversion of a day is its
last-touch orders over its exposed visits with a 95% Wilson interval (``None`` without
exposed visits), as on the console's Results page.

``trends(figures)`` compares the last day (today, so far) with the day before and with the
same weekday a week earlier: one ``Trend`` per figure, with the relative change (``None``
when the earlier figure is zero or missing).

``average_order_value(orders, value)`` is the value per order when every order was in one
currency; with several currencies the orders per currency are not counted apart, so it is
``None`` rather than a wrong mean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bff.attribution.funnel import FunnelRow
from bff.attribution.store import AttributedOrders
from bff.console.results_rows import add_values
from bff.experiments.proportions import Estimate, conversion_rate

COUNTS = (
    ("impressions", "Viewable impressions"),
    ("clicks", "Clicks"),
    ("opens", "Dialog opens"),
    ("orders", "Orders (last touch)"),
    ("exposed_visits", "Exposed visits"),
)
WEEK = 7


@dataclass(frozen=True)
class DayFigures:
    """One UTC day of one merchant."""

    day: str
    views: int = 0
    impressions: int = 0
    clicks: int = 0
    opens: int = 0
    orders: int = 0
    value: Mapping[str, int] = field(default_factory=dict)
    exposed_visits: int = 0

    @property
    def conversion(self) -> Estimate | None:
        exposures = self.exposed_visits
        return conversion_rate(min(self.orders, exposures), exposures) if exposures else None


@dataclass(frozen=True)
class Trend:
    """One figure today, yesterday and a week ago, and today's change against each."""

    name: str
    label: str
    today: float | None
    yesterday: float | None
    last_week: float | None

    @property
    def against_yesterday(self) -> float | None:
        return relative_change(self.today, self.yesterday)

    @property
    def against_last_week(self) -> float | None:
        return relative_change(self.today, self.last_week)


def day_figures(
    days: Sequence[str],
    funnel: Sequence[FunnelRow],
    orders: Sequence[AttributedOrders],
    exposed: Mapping[str, int],
) -> list[DayFigures]:
    """One ``DayFigures`` per day of ``days``, in that order (see the module contract)."""
    sums: dict[str, dict[str, int]] = {day: {} for day in days}
    values: dict[str, dict[str, int]] = {day: {} for day in days}
    for row in funnel:
        if row.day in sums:
            totals = sums[row.day]
            for name in ("views", "impressions", "clicks", "opens"):
                totals[name] = totals.get(name, 0) + getattr(row, name)
    for order in orders:
        if order.day in sums and order.model == "last_touch":
            sums[order.day]["orders"] = sums[order.day].get("orders", 0) + order.orders
            values[order.day] = add_values(values[order.day], order.value)
    return [
        DayFigures(day=day, value=values[day], exposed_visits=exposed.get(day, 0), **sums[day])
        for day in days
    ]


def trends(figures: Sequence[DayFigures]) -> list[Trend]:
    """Today (the last day) against the day before and the day a week before it."""
    if not figures:
        return []
    today = figures[-1]
    yesterday = figures[-2] if len(figures) >= 2 else None
    last_week = figures[-1 - WEEK] if len(figures) > WEEK else None
    rows = [
        Trend(name, label, getattr(today, name), _figure(yesterday, name), _figure(last_week, name))
        for name, label in COUNTS
    ]
    rows.append(
        Trend("conversion", "Conversion of exposed visits", _rate(today), _rate(yesterday), _rate(last_week))
    )
    return rows


def relative_change(now: float | None, before: float | None) -> float | None:
    """``now / before - 1``; ``None`` when either is missing or ``before`` is zero."""
    if now is None or before is None or before == 0:
        return None
    return now / before - 1


def average_order_value(orders: int, value: Mapping[str, int]) -> tuple[str, float] | None:
    """(currency, value per order in minor units) for one currency; else ``None``."""
    if orders <= 0 or len(value) != 1:
        return None
    ((currency, total),) = value.items()
    return currency, total / orders


def _figure(day: DayFigures | None, name: str) -> float | None:
    return None if day is None else float(getattr(day, name))


def _rate(day: DayFigures | None) -> float | None:
    estimate = None if day is None else day.conversion
    return None if estimate is None else estimate.value
