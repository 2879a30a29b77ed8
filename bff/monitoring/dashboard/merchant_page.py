"""What the dashboard's page of one merchant shows, read from Redis in one request.

``read_merchant_page(client_id, days, today, alerts)`` gathers, for a merchant whose scope
the view already checked:

* the console's results of the last ``days`` (7 or 30) against the ``days`` before
  (``bff.console.results.read_period`` and the pure ``results_page``: last-touch orders and
  value, the conversion of exposed visits with its interval, the funnel per campaign and
  variant, the experiments and their verdicts), plus the period's funnel summed over every
  variant as bars (``svg_charts.funnel_chart``) and the average order value;
* the last ``DAILY_DAYS`` UTC days one by one (``merchant_days``): today against yesterday
  and the same weekday last week, and the daily conversion with its interval band
  (``svg_charts.band_chart``);
* the alerts among ``alerts`` whose root is this merchant, newest first.

Reads: the merchant's campaigns, two periods of funnel and attributed-order counters, and
one ``PFCOUNT`` per day of exposed visits. ``StoreUnavailable`` propagates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bff.attribution.funnel import FunnelStore
from bff.attribution.store import AttributionStore
from bff.console.results import merchant_campaigns, read_period
from bff.console.results_rows import STEPS, ResultsPage, periods, results_page
from bff.monitoring.dashboard.merchant_days import DayFigures, Trend, average_order_value, day_figures, trends
from bff.monitoring.dashboard.scope import Scope
from bff.monitoring.dashboard.svg_charts import BandChart, FunnelChart, band_chart, funnel_chart
from bff.store.connection import get_redis

DAILY_DAYS = 30
MAX_ALERTS = 20


@dataclass(frozen=True)
class MerchantPage:
    client_id: str
    days: int
    current_range: tuple[dt.date, dt.date]
    results: ResultsPage
    funnel: FunnelChart
    average_order_value: tuple[str, float] | None
    daily: tuple[DayFigures, ...]
    trends: tuple[Trend, ...]
    conversion: BandChart
    alerts: tuple[dict[str, Any], ...]


def read_merchant_page(
    client_id: str, days: int, today: dt.date, alerts: Sequence[dict[str, Any]]
) -> MerchantPage:
    """The page's figures (see the module contract)."""
    current_range, previous_range = periods(today, days)
    campaigns = merchant_campaigns(client_id)
    results = results_page(
        read_period(client_id, current_range, campaigns),
        read_period(client_id, previous_range, []),
        campaigns,
    )
    daily = read_days(client_id, today)
    glance = results.glance
    return MerchantPage(
        client_id=client_id,
        days=days,
        current_range=current_range,
        results=results,
        funnel=funnel_chart(period_funnel(results)),
        average_order_value=average_order_value(glance.orders, glance.value),
        daily=tuple(daily),
        trends=tuple(trends(daily)),
        conversion=band_chart([d.day[5:] for d in daily], [d.conversion for d in daily]),
        alerts=tuple(Scope(client_id).alerts(alerts)[:MAX_ALERTS]),
    )


def read_days(client_id: str, today: dt.date) -> list[DayFigures]:
    """The last ``DAILY_DAYS`` UTC days up to ``today``, oldest first."""
    day_range = (today - dt.timedelta(days=DAILY_DAYS - 1), today)
    redis_client = get_redis()
    funnel = FunnelStore(redis_client)
    day_list = [(day_range[0] + dt.timedelta(days=i)) for i in range(DAILY_DAYS)]
    exposed = {d.isoformat(): funnel.exposed_visits(client_id, None, None, (d, d)) for d in day_list}
    return day_figures(
        [d.isoformat() for d in day_list],
        funnel.funnel(client_id, day_range),
        AttributionStore(redis_client).attributed_orders(client_id, day_range),
        exposed,
    )


def period_funnel(results: ResultsPage) -> list[tuple[str, int]]:
    """The period's funnel summed over every campaign and variant: (step label, count)."""
    labels = [label for _, label in STEPS] + ["Orders"]
    totals = [0] * len(labels)
    for bars in results.funnels:
        for i, step in enumerate(bars.steps):
            totals[i] += step.count
    return list(zip(labels, totals, strict=True))
