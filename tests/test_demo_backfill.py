"""``bff.demo_backfill``: the expected counts add up across any split of time, today's fill
continues where the last fill or replay stopped, and the stratified sample has the mixes'
shares exactly (a real redis-server for the fill; no demo server: a stand-in render)."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from typing import Any

import redis

from bff.demo_backfill import (
    LEAD_MINUTES,
    counts_between,
    expected_per_minute,
    fill_today,
    mark_replayed,
)
from bff.demo_shoppers import BROWSER_MIX, Shopper, stratified_shoppers
from bff.monitoring.metrics import COUNTER_INDEX
from bff.monitoring.rollups.aggregation import MINUTE_MS
from bff.monitoring.rollups.store import RollupStore

SESSIONS = ("*", "*#session")
EXPECTED = {SESSIONS: 900.0, ("*", "*#click"): 0.3}
SESSION = COUNTER_INDEX["session"]
T0 = 29_000_000 * MINUTE_MS  # a minute boundary


def render(shopper: Shopper) -> dict[str, Any]:
    """A badge of one campaign, its variant by visit id (as the real split decides by it)."""
    variant = "lead-pay-later" if int(shopper.visit_id, 16) % 2 else "lead-pay-in-4"
    return {"kind": "badge", "campaign_id": "us-lead-test", "variant": variant}


def test_counts_of_adjacent_spans_add_up_to_the_whole() -> None:
    cuts = [T0, T0 + 12_345, T0 + 30_000, T0 + MINUTE_MS, T0 + 10 * MINUTE_MS]
    pieces: Counter[tuple[str, str]] = Counter()
    for start, end in itertools.pairwise(cuts):
        pieces.update(counts_between(EXPECTED, start, end))
    assert pieces == counts_between(EXPECTED, T0, T0 + 10 * MINUTE_MS)
    assert pieces[SESSIONS] == 9000
    assert pieces[("*", "*#click")] == 3  # 0.3 a minute: written now and then, not never


def test_today_is_filled_up_to_now_once_and_continues_after_a_replay(redis_client: redis.Redis) -> None:
    store = RollupStore(redis_client)
    now = T0 + 20_000  # a third of the open minute has passed
    start, end = fill_today(redis_client, {SESSIONS: 900.0}, now)
    assert (start, end) == (T0 - LEAD_MINUTES * MINUTE_MS, now)
    assert store.minute(T0 // MINUTE_MS - 1)["*"][SESSION] == 900
    assert store.minute(T0 // MINUTE_MS)["*"][SESSION] == 300  # the elapsed part
    assert fill_today(redis_client, {SESSIONS: 900.0}, now) == (now, now)  # nothing twice

    mark_replayed(redis_client, T0 + 40_000)  # a replay sent the traffic up to there
    assert fill_today(redis_client, {SESSIONS: 900.0}, T0 + 50_000) == (T0 + 40_000, T0 + 50_000)
    assert store.minute(T0 // MINUTE_MS)["*"][SESSION] == 300 + 150


def test_the_stratified_sample_has_each_browsers_share_exactly() -> None:
    sample = stratified_shoppers(random.Random(1), 2)
    assert len(sample) == 96
    for agent, share in BROWSER_MIX:
        assert abs(sum(w for s, w in sample if s.user_agent == agent) - share) < 1e-9


def test_expected_counts_are_the_rate_times_the_probabilities() -> None:
    expected = expected_per_minute(render, 15, T0, "http://localhost:5000", sample=48)
    assert round(expected[SESSIONS], 6) == 900  # 15 a second
    assert round(expected[("demo", "merchant=demo#impression")], 6) == round(900 * 0.85, 6)
    assert round(expected[("demo", "merchant=demo#click")], 6) == round(900 * 0.85 * 0.12, 6)
    assert round(expected[("*", "browser=Firefox#session")], 6) == round(900 * 0.25, 6)
