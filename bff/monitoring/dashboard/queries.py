"""Read models of the dashboard: overview, series (today vs yesterday and last week),
breakdown by dimension.

All times are UTC minutes since the epoch; ``now_ms`` is passed in. Values of a rate are
``null`` for minutes without trials, so charts show gaps instead of fake zeros. Every read
starts from a ``root`` combo (all traffic, or one merchant's total for a merchant admin):
the views check the scope (``scope.py``) before calling these.

The all-traffic breakdown by browser, device or channel reads the global combos of that
dimension when the rollups count them; minutes without them (rollups written before they
existed) fall back to the sum over merchants of ``merchant x <dimension>``, so the table is
filled either way and says which it used (``source``).
"""

from __future__ import annotations

from typing import Any

from bff.monitoring.dimensions import DIMENSIONS, GLOBAL, combo_key, describe, merchant_of, parse_combo
from bff.monitoring.metrics import COUNTERS, LABELS, RATES
from bff.monitoring.rollups.aggregation import MINUTE_MS
from bff.monitoring.rollups.store import MinuteCounts, RollupStore

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
MAX_COMBO_LENGTH = 512


def overview(
    rollups: RollupStore, alerts: list[dict[str, Any]], now_ms: int, root: str = GLOBAL
) -> dict[str, Any]:
    """Events/min and conversion of ``root`` over the last hour, its open anomalies among
    ``alerts`` (already scoped), and the busiest merchants (only under all traffic)."""
    last = now_ms // MINUTE_MS
    first = last - OVERVIEW_MINUTES + 1
    totals = rollups.series(root, COUNTERS, first, last)
    events = [sum(totals[c][i] for c in EVENT_COUNTERS) for i in range(OVERVIEW_MINUTES)]
    sessions, orders = sum(totals["session"]), sum(totals["order_created"])
    merchants = breakdown(rollups, GLOBAL, "merchant", now_ms)["rows"][:20] if root == GLOBAL else []
    return {
        "root": root,
        "minutes": [(first + i) * MINUTE_MS for i in range(OVERVIEW_MINUTES)],
        "events_per_minute": events,
        "events_last_minute": events[-2] if len(events) > 1 else 0,
        "conversion_rate": orders / sessions if sessions else None,
        "open_anomalies": sum(1 for a in alerts if a["status"] == "open"),
        "merchants": merchants,
    }


def series(rollups: RollupStore, combo: str, metric: str, now_ms: int) -> dict[str, Any]:
    """``metric`` of ``combo`` per minute from 00:00 UTC today to now, and the same window
    yesterday and a week ago. ``has_data`` is False when no minute has a value (for a rate:
    no trials at all, e.g. orders per session without session events), so the page can say
    why the chart is empty instead of drawing nothing."""
    last = now_ms // MINUTE_MS
    first = last - (last % DAY_MINUTES)
    today = _metric_series(rollups, combo, metric, first, last)
    yesterday = _metric_series(rollups, combo, metric, first - DAY_MINUTES, last - DAY_MINUTES)
    last_week = _metric_series(rollups, combo, metric, first - 7 * DAY_MINUTES, last - 7 * DAY_MINUTES)
    values = [v for v in (*today, *yesterday, *last_week) if v is not None]
    return {
        "combo": combo,
        "title": describe(combo),
        "metric": metric,
        "label": LABELS.get(metric, metric),
        "minutes": [(first + i) * MINUTE_MS for i in range(last - first + 1)],
        "today": today,
        "yesterday": yesterday,
        "last_week": last_week,
        "is_rate": metric in RATES,
        "has_data": any(values) if metric not in RATES else bool(values),
    }


def breakdown(rollups: RollupStore, parent: str, dimension: str, now_ms: int) -> dict[str, Any]:
    """Children of ``parent`` along ``dimension`` with their counts over the last 15 minutes
    (see the module docstring for the all-traffic fallback)."""
    pairs = parse_combo(parent)
    last = now_ms // MINUTE_MS
    bucket = merchant_of(parent) or (None if dimension == "merchant" else GLOBAL)
    totals: dict[str, list[int]] = {}
    fallback_minutes = 0
    for minute in range(last - BREAKDOWN_MINUTES + 1, last + 1):
        table = rollups.minute(minute, bucket)
        found = _add_children(totals, table, pairs, dimension)
        if not found and parent == GLOBAL and dimension != "merchant":
            fallback_minutes += _add_across_merchants(totals, rollups.minute(minute), dimension)
    rows = [_breakdown_row(combo, counts, dimension) for combo, counts in totals.items()]
    rows.sort(key=lambda r: (-r["events"], r["value"]))
    return {
        "parent": parent,
        "title": describe(parent),
        "dimension": dimension,
        "minutes": BREAKDOWN_MINUTES,
        "rows": rows,
        "source": "merchants" if fallback_minutes else "rollups",
    }


def _add_children(
    totals: dict[str, list[int]], table: MinuteCounts, pairs: dict[str, str], dimension: str
) -> bool:
    """Add the children of ``pairs`` along ``dimension`` found in one minute's ``table``."""
    found = False
    wanted = set(pairs) | {dimension}
    for combo, counts in table.items():
        child = parse_combo(combo)
        if set(child) == wanted and all(child.get(k) == v for k, v in pairs.items()):
            _add(totals, combo, counts)
            found = True
    return found


def _add_across_merchants(totals: dict[str, list[int]], table: MinuteCounts, dimension: str) -> int:
    """Add ``merchant x dimension`` combos of one minute as the global ``dimension=value``
    combo (every event names its merchant, so the sum is the all-traffic count)."""
    added = 0
    for combo, counts in table.items():
        child = parse_combo(combo)
        if set(child) == {"merchant", dimension}:
            _add(totals, combo_key(child, (dimension,)), counts)
            added = 1
    return added


def _add(totals: dict[str, list[int]], combo: str, counts: list[int]) -> None:
    row = totals.setdefault(combo, [0] * len(COUNTERS))
    for i, value in enumerate(counts):
        row[i] += value


def is_known_metric(metric: str) -> bool:
    return metric in METRIC_NAMES


def is_known_dimension(dimension: str) -> bool:
    return dimension in DIMENSIONS


def is_canonical_combo(combo: str) -> bool:
    """Whether ``combo`` is ``*`` or known dimensions with values, each once, in the order of
    ``DIMENSIONS`` (the only form the rollups write: anything else names no data, and a
    repeated ``merchant=`` must not pass a scope check on its first value)."""
    if combo == GLOBAL:
        return True
    if len(combo) > MAX_COMBO_LENGTH or "#" in combo:
        return False
    try:
        pairs = parse_combo(combo)
    except ValueError:
        return False
    if not pairs or not all(is_known_dimension(k) and v for k, v in pairs.items()):
        return False
    return combo_key(pairs, tuple(pairs)) == combo


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
