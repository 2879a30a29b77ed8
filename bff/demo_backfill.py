"""History for the demo's detector: the replay's normal traffic on the history days and
earlier today.

The detector compares each minute with the same minutes on the history days (yesterday, 2
and 3 days ago, last week: ``DetectionConfig.history_days``, docs/monitoring.md), and the
open minute's counts so far with that history scaled to the minute's elapsed part; its
count windows and drift test also read today's last 75 minutes. A fresh demo has none of
it, so before ``demo traffic`` starts, this module writes, at the replay's expected rates
and through the real rollup writer (``RollupStore.add_counts``):

1. ``expected_per_minute``: a stratified sample of simulated shoppers
   (``demo_shoppers.stratified_shoppers``: every market x browser x channel, weighted by
   its share), each rendered, and every event its visit may send
   (``demo_shoppers.expected_events``, no anomaly) validated (``validate_event``), enriched
   with its User-Agent (``enrich``) and counted into rollup fields (``counted_event``,
   ``increments``), exactly as the rollup worker does, weighted by its probability; scaled
   to the rate: expected counts per field and minute. Only the A/B variants are drawn
   (from the visit ids), so the sample can be small;
2. ``backfill_history``: the history days' minutes around the replay (from
   ``LEAD_MINUTES`` before now to ``TAIL_MINUTES`` after its end) that no earlier backfill
   wrote (a marker per minute, so a second replay adds nothing twice);
3. ``fill_today``: today's minutes from where today's traffic stops (``LEAD_MINUTES`` ago,
   or the end of the last fill or replay: ``mark_replayed``) up to now, **including the
   elapsed part of the open minute**. The live replay then continues that minute, so its
   first minute is not a drop against the history, and its first 10 seconds not a spike.

Counts are the expected values rounded cumulatively over time (``counts_between``): any
split of a span into pieces adds up to the same counts, and a field expected 0.3 times a
minute is written once every 3 or 4 minutes rather than never.

The sample's renders are real ``placements.render`` calls (``render``), so the campaigns
and variants are the ones the live replay gets. Orders take their visit's campaign and
variant, as attribution gives them. A detector that already read a minute keeps what it
read (``detection/detector.py`` caches closed minutes for as long as its spans need them):
for a detector started before the backfill, the minutes it read stay empty to it.
One replay at a time: the markers are not compare-and-set.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import redis

from bff.demo_shoppers import Shopper, expected_events, stratified_shoppers
from bff.monitoring import keys
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.ingest.enrichment import enrich
from bff.monitoring.ingest.event_schema import validate_event
from bff.monitoring.rollups.aggregation import MINUTE_MS, counted_event, increments
from bff.monitoring.rollups.store import ROLLUP_TTL_S, RollupStore

STRATA = 48  # markets x browsers x channels (bff.demo_shoppers)
SAMPLE_VISITS = 4 * STRATA
LEAD_MINUTES = 80  # the detector's longest look back: the drift's 15 + 60 minutes, and a margin
TAIL_MINUTES = 3
DAY_MINUTES = 1440
MINUTES_PER_WRITE = 30  # history minutes per add_counts pipeline
TODAY_MARKER = f"{keys.PREFIX}:demo-backfill:today"  # ms up to which today's traffic is there

Render = Callable[[Shopper], dict[str, Any] | None]
Expected = dict[tuple[str, str], float]


def expected_per_minute(
    render: Render, rate: float, now_ms: int, shop_origin: str, seed: int = 2026, sample: int = SAMPLE_VISITS
) -> Expected:
    """(bucket, field) -> expected count per minute at ``rate`` shoppers a second, from about
    ``sample`` rendered visits (at least one per stratum; a failed render counts nothing,
    as in the replay)."""
    rng = random.Random(seed)  # noqa: S311 - a simulation
    totals: defaultdict[tuple[str, str], float] = defaultdict(float)
    for shopper, weight in stratified_shoppers(rng, max(1, round(sample / STRATA))):
        result = render(shopper)
        if result is None:
            continue
        for raw, from_frame, probability in expected_events(shopper, result, now_ms, shop_origin):
            wire = validate_event(raw, index=0, now_ms=now_ms, merchant=None if from_frame else "demo")
            if not isinstance(wire, dict):
                raise ValueError(f"the simulated {raw['type']} event is invalid: {wire.reason}")
            if raw["type"] == "order_created" and result.get("campaign_id"):
                wire |= {"campaign_id": result["campaign_id"], "variant": result["variant"]}
            agent = shopper.user_agent if from_frame else None
            values = enrich(wire, from_frame=from_frame, request_user_agent=agent, accept_language=None)
            for (_, bucket, name), delta in increments([counted_event(wire, now_ms, values)]).items():
                totals[(bucket, name)] += delta * weight * probability
    scale = rate * 60
    return {key: count * scale for key, count in totals.items()}


def counts_between(expected: Expected, start_ms: int, end_ms: int) -> Counter[tuple[str, str]]:
    """The counts of ``[start_ms, end_ms)`` at ``expected`` per minute: the expected running
    total (from the epoch) rounded at the end minus rounded at the start, so adjacent spans
    add up exactly (pure)."""
    counts: Counter[tuple[str, str]] = Counter()
    for key, per_minute in expected.items():
        n = round(per_minute * end_ms / MINUTE_MS) - round(per_minute * start_ms / MINUTE_MS)
        if n:
            counts[key] = n
    return counts


def history_minutes(now_ms: int, duration_s: float, days: tuple[int, ...]) -> list[int]:
    """The history days' minutes around a replay of ``duration_s`` starting at ``now_ms``."""
    now = now_ms // MINUTE_MS
    span = range(now - LEAD_MINUTES, now + int(duration_s // 60) + TAIL_MINUTES + 1)
    return sorted({m - day * DAY_MINUTES for day in days for m in span})


def backfill_history(client: redis.Redis, expected: Expected, minutes: list[int]) -> int:
    """Add ``expected`` to each of ``minutes`` not backfilled before; how many were."""
    with client.pipeline(transaction=False) as pipe:
        for minute in minutes:
            pipe.set(f"{keys.PREFIX}:demo-backfill:{minute}", 1, nx=True, ex=ROLLUP_TTL_S)
        fresh = [minute for minute, was_set in zip(minutes, pipe.execute(), strict=True) if was_set]
    store = RollupStore(client)
    for i in range(0, len(fresh), MINUTES_PER_WRITE):
        batch: Counter[tuple[int, str, str]] = Counter()
        for minute in fresh[i : i + MINUTES_PER_WRITE]:
            for (bucket, name), n in counts_between(
                expected, minute * MINUTE_MS, (minute + 1) * MINUTE_MS
            ).items():
                batch[(minute, bucket, name)] = n
        store.add_counts(batch)
    return len(fresh)


def fill_today(client: redis.Redis, expected: Expected, now_ms: int) -> tuple[int, int]:
    """Add today's expected traffic from where it stops (``LEAD_MINUTES`` ago at the earliest,
    else the ``TODAY_MARKER``) up to ``now_ms``, the open minute's elapsed part included, and
    move the marker to ``now_ms``. Returns the span filled, (start, end) in ms (equal: none)."""
    raw = client.get(TODAY_MARKER)
    start = max((now_ms // MINUTE_MS - LEAD_MINUTES) * MINUTE_MS, int(raw) if raw else 0)
    if start >= now_ms:
        return now_ms, now_ms
    counts: Counter[tuple[int, str, str]] = Counter()
    for minute in range(start // MINUTE_MS, now_ms // MINUTE_MS + 1):
        piece = (max(start, minute * MINUTE_MS), min(now_ms, (minute + 1) * MINUTE_MS))
        for (bucket, name), n in counts_between(expected, *piece).items():
            counts[(minute, bucket, name)] = n
    RollupStore(client).add_counts(counts)
    mark_replayed(client, now_ms)
    return start, now_ms


def mark_replayed(client: redis.Redis, until_ms: int) -> None:
    """Record that today's traffic is there up to ``until_ms`` (a replay covers its own span:
    the next ``fill_today`` starts there)."""
    client.set(TODAY_MARKER, until_ms, ex=ROLLUP_TTL_S)


def history_days() -> tuple[int, ...]:
    """The days the detector's seasonal baseline reads (``DetectionConfig.history_days``)."""
    return DetectionConfig().history_days
