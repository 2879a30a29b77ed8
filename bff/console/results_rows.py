"""The rows of the results page, built from plain data: pure (no Flask, no Redis, no clock).

``results_page(inputs)`` turns what ``bff.console.results`` read (the funnel counters, the
attributed orders and the exposed visits of the period and of the one before, the
merchant's campaigns) into what the template shows:

* ``Glance``: last-touch orders and their value per currency, the conversion rate of exposed
  visits with its interval, each against the previous period of the same length;
* ``FunnelBars`` per campaign and variant: views -> viewable impressions -> clicks -> dialog
  opens -> orders, each step with a bar width (a multiple of 5%, a CSS class) and its rate
  from the step before;
* ``ExperimentView`` per campaign with two or more variants: ``analyse_experiment`` with
  exposures = distinct exposed visits, conversions = last-touch orders, the campaign's first
  variant as control and its weights.

``csv_rows(funnel, orders)`` is the export, each cell made safe for spreadsheets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bff.attribution.funnel import FunnelRow
from bff.attribution.store import AttributedOrders
from bff.experiments import ExperimentResult, VariantCounts, analyse_experiment
from bff.experiments.proportions import Estimate, conversion_rate

PERIODS = (7, 30)
STEPS = (("views", "Views"), ("impressions", "Viewable"), ("clicks", "Clicks"), ("opens", "Dialog opens"))
CSV_HEADER = (
    "day", "campaign_id", "variant", "placement_key", "views", "impressions", "clicks",
    "interstitial_opens", "orders_last_touch", "value_last_touch",
)  # fmt: skip
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def periods(today: dt.date, days: int) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """The last ``days`` UTC days up to ``today`` and the ``days`` before them."""
    first = today - dt.timedelta(days=days - 1)
    before = first - dt.timedelta(days=1)
    return (first, today), (before - dt.timedelta(days=days - 1), before)


@dataclass(frozen=True)
class CampaignInfo:
    """A campaign as the page needs it: its name, its variants (id, weight) in order, and
    whether it is active (an archived one shows in the experiments only with exposures)."""

    id: str
    name: str
    variants: tuple[tuple[str, float], ...]
    active: bool = True


def campaign_info(doc: Mapping[str, Any]) -> CampaignInfo:
    """A stored campaign document as a ``CampaignInfo`` (no variants: one ``control``)."""
    variants = tuple((str(v["id"]), float(v.get("weight", 1))) for v in doc.get("variants") or [])
    return CampaignInfo(
        str(doc["id"]),
        str(doc.get("name") or doc["id"]),
        variants or (("control", 1.0),),
        doc.get("status", "active") == "active",
    )


@dataclass(frozen=True)
class PeriodData:
    """What was read for one period."""

    funnel: Sequence[FunnelRow]
    orders: Sequence[AttributedOrders]
    exposed_visits: int
    # (campaign, variant) -> distinct exposed visits
    exposed_by_variant: Mapping[tuple[str, str], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Glance:
    orders: int
    value: dict[str, int]
    previous_orders: int
    previous_value: dict[str, int]
    exposed_visits: int
    rate: Estimate | None
    previous_rate: Estimate | None


@dataclass(frozen=True)
class Step:
    label: str
    count: int
    width: int  # percent of the funnel's first step, a multiple of 5
    rate: float | None  # of the step before; None for the first step or after an empty one


@dataclass(frozen=True)
class FunnelBars:
    campaign_id: str
    campaign_name: str
    variant: str
    steps: tuple[Step, ...]
    value: dict[str, int]


@dataclass(frozen=True)
class ExperimentView:
    campaign_id: str
    campaign_name: str
    result: ExperimentResult | None
    problem: str | None = None


@dataclass(frozen=True)
class ResultsPage:
    glance: Glance
    funnels: tuple[FunnelBars, ...]
    experiments: tuple[ExperimentView, ...]

    @property
    def empty(self) -> bool:
        """No message shown and no order counted in the period: the page explains what to do."""
        return not self.funnels and self.glance.orders == 0 and self.glance.exposed_visits == 0


def results_page(current: PeriodData, previous: PeriodData, campaigns: Sequence[CampaignInfo]) -> ResultsPage:
    """The page's rows: see the module contract."""
    return ResultsPage(
        glance=glance(current, previous),
        funnels=funnel_bars(current, campaigns),
        experiments=experiments(current, campaigns),
    )


def last_touch(orders: Sequence[AttributedOrders]) -> tuple[int, dict[str, int]]:
    """Orders attributed to messaging (last touch) and their value per currency."""
    count = 0
    value: dict[str, int] = {}
    for row in orders:
        if row.model == "last_touch":
            count += row.orders
            value = add_values(value, row.value)
    return count, value


def glance(current: PeriodData, previous: PeriodData) -> Glance:
    """The at-a-glance figures of ``current`` against ``previous``."""
    orders, value = last_touch(current.orders)
    previous_orders, previous_value = last_touch(previous.orders)
    return Glance(
        orders=orders,
        value=value,
        previous_orders=previous_orders,
        previous_value=previous_value,
        exposed_visits=current.exposed_visits,
        rate=_rate(orders, current.exposed_visits),
        previous_rate=_rate(previous_orders, previous.exposed_visits),
    )


def funnel_bars(current: PeriodData, campaigns: Sequence[CampaignInfo]) -> tuple[FunnelBars, ...]:
    """One funnel per (campaign, variant) seen in the period: the campaign's order, then by id."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in current.funnel:
        totals = counts.setdefault((row.campaign_id, row.variant), {})
        for name, _ in STEPS:
            totals[name] = totals.get(name, 0) + getattr(row, name)
    orders: dict[tuple[str, str], int] = {}
    values: dict[tuple[str, str], dict[str, int]] = {}
    for o in current.orders:
        if o.model == "last_touch" and o.campaign_id is not None and o.variant is not None:
            target = (o.campaign_id, o.variant)
            orders[target] = orders.get(target, 0) + o.orders
            values[target] = add_values(values.get(target, {}), o.value)
            counts.setdefault(target, {})
    names = {c.id: c.name for c in campaigns}
    bars = []
    for target in sorted(counts, key=_campaign_order(campaigns)):
        figures = [counts[target].get(name, 0) for name, _ in STEPS] + [orders.get(target, 0)]
        labels = [label for _, label in STEPS] + ["Orders"]
        top = max(figures)
        steps = tuple(
            Step(label, count, width_step(count, top), None if i == 0 else _ratio(count, figures[i - 1]))
            for i, (label, count) in enumerate(zip(labels, figures, strict=True))
        )
        bars.append(
            FunnelBars(target[0], names.get(target[0], target[0]), target[1], steps, values.get(target, {}))
        )
    return tuple(bars)


def experiments(current: PeriodData, campaigns: Sequence[CampaignInfo]) -> tuple[ExperimentView, ...]:
    """``analyse_experiment`` for every campaign with two or more variants."""
    orders: dict[tuple[str, str], int] = {}
    for o in current.orders:
        if o.model == "last_touch" and o.campaign_id is not None and o.variant is not None:
            orders[(o.campaign_id, o.variant)] = orders.get((o.campaign_id, o.variant), 0) + o.orders
    views = []
    for campaign in campaigns:
        if len(campaign.variants) < 2:
            continue
        counts = []
        for variant, _ in campaign.variants:
            exposures = current.exposed_by_variant.get((campaign.id, variant), 0)
            # A visit that orders twice counts once as a conversion; and HyperLogLog counts
            # can be a little under the truth at scale: never more conversions than exposures.
            counts.append(
                VariantCounts(variant, exposures, min(orders.get((campaign.id, variant), 0), exposures))
            )
        if not campaign.active and not any(c.exposures for c in counts):
            continue
        control = campaign.variants[0][0]
        try:
            result = analyse_experiment(counts, control, [w for _, w in campaign.variants])
        except ValueError as exc:
            views.append(ExperimentView(campaign.id, campaign.name, None, str(exc)))
            continue
        views.append(ExperimentView(campaign.id, campaign.name, result))
    return tuple(views)


def width_step(count: int, top: int) -> int:
    """``count`` as a percent of ``top`` in steps of 5 (at least 5 when not zero)."""
    if top <= 0 or count <= 0:
        return 0
    return max(5, min(100, round(20 * count / top) * 5))


def csv_rows(funnel: Sequence[FunnelRow], orders: Sequence[AttributedOrders]) -> list[list[str]]:
    """The export: one row per day and (campaign, variant, placement), header first."""
    table: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for row in funnel:
        key = (row.day, row.campaign_id, row.variant, row.placement_key)
        table[key] = {name: getattr(row, name) for name, _ in STEPS}
    for o in orders:
        if o.model != "last_touch" or o.campaign_id is None or o.variant is None or o.placement_key is None:
            continue
        entry = table.setdefault((o.day, o.campaign_id, o.variant, o.placement_key), {})
        entry["orders"] = entry.get("orders", 0) + o.orders
        entry["value"] = add_values(entry.get("value", {}), o.value)
    rows = [list(CSV_HEADER)]
    for key in sorted(table):
        entry = table[key]
        value = " ".join(
            f"{currency}:{amount}" for currency, amount in sorted(entry.get("value", {}).items())
        )
        cells = [*key, *(str(entry.get(name, 0)) for name, _ in STEPS), str(entry.get("orders", 0)), value]
        rows.append([csv_cell(c) for c in cells])
    return rows


def csv_cell(text: str) -> str:
    """``text`` safe to open in a spreadsheet: a leading ``= + - @`` (a formula) gets a ``'``."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def add_values(total: Mapping[str, int], more: Mapping[str, int]) -> dict[str, int]:
    """Per-currency sums."""
    return {c: total.get(c, 0) + more.get(c, 0) for c in sorted(set(total) | set(more))}


def _rate(conversions: int, exposures: int) -> Estimate | None:
    return conversion_rate(min(conversions, exposures), exposures) if exposures else None


def _ratio(count: int, before: int) -> float | None:
    return count / before if before else None


def _campaign_order(campaigns: Sequence[CampaignInfo]) -> Any:
    rank = {c.id: i for i, c in enumerate(campaigns)}
    variant_rank = {(c.id, v): i for c in campaigns for i, (v, _) in enumerate(c.variants)}

    def key(target: tuple[str, str]) -> tuple[int, str, int, str]:
        return (rank.get(target[0], len(rank)), target[0], variant_rank.get(target, 1 << 30), target[1])

    return key
