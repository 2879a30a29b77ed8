"""Read models of the dashboard: overview, series (today vs yesterday), breakdown by dimension.

All times are UTC minutes since the epoch; ``now_ms`` is passed in. Values of a rate are
``null`` for minutes without trials, so charts show gaps instead of fake zeros.
"""

from __future__ import annotations

from typing import Any

from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.dimensions import DIMENSIONS, GLOBAL, describe, merchant_of, parse_combo
from bff.monitoring.metrics import COUNTERS, LABELS, RATES
from bff.monitoring.rollups.aggregation import MINUTE_MS
from bff.monitoring.rollups.store import RollupStore

DAY_MINUTES = 24 * 60
EVENT_COUNTERS = (
    "impression",
    "view",
    "click",
    "interstitial_open",
    "session",
    "authorization",
    "order_created",
)
METRIC_NAMES = (*COUNTERS, *RATES)
BREAKDOWN_MINUTES = 15
OVERVIEW_MINUTES = 60


def overview(rollups: RollupStore, alerts: AlertStore, now_ms: int) -> dict[str, Any]:
    """Events/min and conversion over the last hour, open anomalies, busiest merchants."""
    last = now_ms // MINUTE_MS
    first = last - OVERVIEW_MINUTES + 1
    totals = rollups.series(GLOBAL, COUNTERS, first, last)
    events = [sum(totals[c][i] for c in EVENT_COUNTERS) for i in range(OVERVIEW_MINUTES)]
    sessions, orders = sum(totals["session"]), sum(totals["order_created"])
    recent = alerts.recent(100)
    merchants = breakdown(rollups, GLOBAL, "merchant", now_ms)["rows"][:20]
    return {
        "minutes": [(first + i) * MINUTE_MS for i in range(OVERVIEW_MINUTES)],
        "events_per_minute": events,
        "events_last_minute": events[-2] if len(events) > 1 else 0,
        "conversion_rate": orders / sessions if sessions else None,
        "open_anomalies": sum(1 for a in recent if a["status"] == "open"),
        "merchants": merchants,
    }


def series(rollups: RollupStore, combo: str, metric: str, now_ms: int) -> dict[str, Any]:
    """``metric`` of ``combo`` per minute from 00:00 UTC today to now, and the same window yesterday."""
    last = now_ms // MINUTE_MS
    first = last - (last % DAY_MINUTES)
    today = _metric_series(rollups, combo, metric, first, last)
    yesterday = _metric_series(rollups, combo, metric, first - DAY_MINUTES, last - DAY_MINUTES)
    return {
        "combo": combo,
        "title": describe(combo),
        "metric": metric,
        "label": LABELS.get(metric, metric),
        "minutes": [(first + i) * MINUTE_MS for i in range(last - first + 1)],
        "today": today,
        "yesterday": yesterday,
    }


def breakdown(rollups: RollupStore, parent: str, dimension: str, now_ms: int) -> dict[str, Any]:
    """Children of ``parent`` along ``dimension`` with their counts over the last 15 minutes."""
    pairs = parse_combo(parent)
    last = now_ms // MINUTE_MS
    bucket = merchant_of(parent) or (None if dimension == "merchant" else GLOBAL)
    totals: dict[str, list[int]] = {}
    for minute in range(last - BREAKDOWN_MINUTES + 1, last + 1):
        for combo, counts in rollups.minute(minute, bucket).items():
            child = parse_combo(combo)
            if set(child) == set(pairs) | {dimension} and all(child.get(k) == v for k, v in pairs.items()):
                row = totals.setdefault(combo, [0] * len(COUNTERS))
                for i, value in enumerate(counts):
                    row[i] += value
    rows = [_breakdown_row(combo, counts, dimension) for combo, counts in totals.items()]
    rows.sort(key=lambda r: -r["events"])
    return {
        "parent": parent,
        "title": describe(parent),
        "dimension": dimension,
        "minutes": BREAKDOWN_MINUTES,
        "rows": rows,
    }


def is_known_metric(metric: str) -> bool:
    return metric in METRIC_NAMES


def is_known_dimension(dimension: str) -> bool:
    return dimension in DIMENSIONS


def _breakdown_row(combo: str, counts: list[int], dimension: str) -> dict[str, Any]:
    by_name = dict(zip(COUNTERS, counts, strict=True))
    row: dict[str, Any] = {
        "combo": combo,
        "value": parse_combo(combo)[dimension],
        "events": sum(by_name[c] for c in EVENT_COUNTERS),
        "counts": by_name,
    }
    for rate, (num, den) in RATES.items():
        row[rate] = by_name[num] / by_name[den] if by_name[den] else None
    return row


def _metric_series(
    rollups: RollupStore, combo: str, metric: str, first: int, last: int
) -> list[float | None]:
    if metric in RATES:
        num, den = RATES[metric]
        data = rollups.series(combo, (num, den), first, last)
        return [n / d if d else None for n, d in zip(data[num], data[den], strict=True)]
    values = rollups.series(combo, (metric,), first, last)[metric]
    return [float(v) for v in values]
