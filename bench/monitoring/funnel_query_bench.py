"""The funnel query of one merchant over 30 days, and the memory of its rollups per day.

Builds, on a private redis-server, 30 days of minute rollups for one merchant of
``bench/monitoring/traffic.py`` (its segments, day curve and Poisson counts; written by
``RollupStore.add_counts``, the same hashes the worker's commit writes), rolls them up to
hours and days with the real step (``HourDayRollups.step``), and the Results page's
counters (``FunnelStore.record``: 2 campaigns x 2 variants x 2 placements a day). Then
times, median of ``--runs``:

* ``minutes``: the merchant's counters over the 30 days read from the 43,200 minute hashes
  (one pipeline): the query without hour and day rollups;
* ``tiered``: the same range through ``HourDayRollups.totals`` (days, hours, minutes at
  the edges), and checks that both give the same totals;
* ``results_page``: what the console's Results page reads for 30 days
  (``FunnelStore.funnel``, ``exposed_visits``, ``AttributionStore.attributed_orders``).

Memory: ``MEMORY USAGE`` summed over the merchant's keys of one full day: 1,440 minute
hashes, 24 hour hashes, 1 day hash. Usage: ``python -m bench.monitoring.funnel_query_bench
[--days 30] [--runs 7] [--merchants 1 3]`` (which merchants of a 200-merchant traffic:
``1`` the median volume, ``3`` the largest).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import redis

from bench.monitoring.traffic import Traffic
from bff.attribution.funnel import FunnelStore
from bff.attribution.store import AttributionStore
from bff.monitoring import keys
from bff.monitoring.dimensions import bucket_of
from bff.monitoring.metrics import COUNTERS
from bff.monitoring.rollups.aggregation import Increment
from bff.monitoring.rollups.hours import HourDayRollups
from bff.monitoring.rollups.ranges import DAY_MINUTES, MINUTE_MS
from bff.monitoring.rollups.store import MinuteCounts, RollupStore
from bff.store.embedded import EmbeddedRedis

MERCHANTS = 200


def pick(traffic: Traffic, which: int) -> str:
    """``1``: the merchant of median volume; ``3``: the largest."""
    ranked = sorted(traffic.sessions_per_min, key=traffic.sessions_per_min.__getitem__)
    return ranked[len(ranked) // 2] if which == 1 else ranked[-1]


def build_minutes(client: redis.Redis, traffic: Traffic, merchant: str, first_minute: int, days: int) -> int:
    """Write ``days`` of the merchant's minute rollups; return the fields written."""
    rows = [i for i, combo in enumerate(traffic.combos) if bucket_of(combo) == merchant]
    segments = np.array([s.merchant == merchant for s in traffic.segments])
    incidence = traffic.incidence[rows][:, segments]
    store = RollupStore(client)
    fields = 0
    rng = np.random.default_rng(5)
    for day in range(days):
        counts: Counter[Increment] = Counter()
        for m in range(DAY_MINUTES):
            minute = first_minute + day * DAY_MINUTES + m
            expected = traffic.expected((minute % DAY_MINUTES) * 60.0, 60.0, [])[segments]
            sampled = rng.poisson(expected)
            table = np.asarray(incidence @ sampled)
            for r, i in zip(*np.nonzero(table), strict=True):
                counts[(minute, merchant, f"{traffic.combos[rows[r]]}#{COUNTERS[i]}")] += int(table[r, i])
        fields += len(counts)
        store.add_counts(counts)
    return fields


def build_results_counters(client: redis.Redis, merchant: str, first_day: dt.date, days: int) -> None:
    funnel = FunnelStore(client)
    for d in range(days):
        day = first_day + dt.timedelta(days=d)
        ts = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp() * 1000)
        wires = [
            {"type": kind, "client_id": merchant, "campaign_id": f"c{c}", "variant": v, "placement_key": p,
             "visit_id": f"visit-{d}-{c}{v}{p}"}
            for c in (1, 2) for v in ("A", "B") for p in ("badge", "strip")
            for kind in ("view", "impression", "click", "interstitial_open")
        ]  # fmt: skip
        funnel.record(wires, ts)


def minutes_query(store: RollupStore, merchant: str, first: int, last: int) -> MinuteCounts:
    return store.summed_hashes(keys.rollup_key(minute, merchant) for minute in range(first, last + 1))


def timed(runs: int, query) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = query()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def memory(client: redis.Redis, names: list[str]) -> int:
    return sum(int(client.memory_usage(name, samples=0) or 0) for name in names)


def bench_merchant(client: redis.Redis, which: int, days: int, runs: int) -> dict[str, object]:
    client.flushall()
    traffic = Traffic(MERCHANTS, seed=3)
    merchant = pick(traffic, which)
    now_minute = int(time.time() * 1000) // MINUTE_MS
    first_minute = (now_minute // DAY_MINUTES - days) * DAY_MINUTES  # midnight, `days` days back
    started = time.perf_counter()
    fields = build_minutes(client, traffic, merchant, first_minute, days)
    first_day = dt.datetime.fromtimestamp(first_minute * 60, dt.UTC).date()
    build_results_counters(client, merchant, first_day, days)
    store = RollupStore(client)
    rollups = HourDayRollups(store)
    client.set(keys.rolled_key("h"), first_minute // 60)
    client.set(keys.rolled_key("d"), first_minute // DAY_MINUTES)
    rolled = time.perf_counter()
    while rollups.step(0, (first_minute + days * DAY_MINUTES) * MINUTE_MS):
        pass
    roll_s = time.perf_counter() - rolled
    build_s = time.perf_counter() - started
    # edges off the day; an edge older than the minutes' 8 days is widened to its hour, and
    # the minute read covers exactly what the plan covers
    last = first_minute + days * DAY_MINUTES - 1 - 13
    plan, _ = rollups.totals(merchant, first_minute + 7, last, now_minute=last)
    first = plan.first_minute
    minutes_ms, by_minutes = timed(runs, lambda: minutes_query(store, merchant, first, last))
    tiered_ms, (plan, by_tiers) = timed(runs, lambda: rollups.totals(merchant, first, last, now_minute=last))
    assert by_tiers == by_minutes, "the tiered read must equal the minute read"
    day_range = (first_day, first_day + dt.timedelta(days=days - 1))
    funnel, attributed = FunnelStore(client), AttributionStore(client)
    results_ms, _ = timed(runs, lambda: (funnel.funnel(merchant, day_range),
                                         funnel.exposed_visits(merchant, None, None, day_range),
                                         attributed.attributed_orders(merchant, day_range)))  # fmt: skip
    day = first_minute // DAY_MINUTES + 1
    per_day = {
        "minutes": memory(client, [keys.rollup_key(m, merchant) for m in range(day * DAY_MINUTES, (day + 1) * DAY_MINUTES)]),  # noqa: E501
        "hours": memory(client, [keys.coarse_key("h", h, merchant) for h in range(day * 24, day * 24 + 24)]),
        "days": memory(client, [keys.coarse_key("d", day, merchant)]),
    }  # fmt: skip
    return {
        "merchant": merchant,
        "sessions_per_min_mean": round(traffic.sessions_per_min[merchant], 1),
        "combos": len(by_minutes),
        "minute_fields_written": fields,
        "build_s": round(build_s, 1),
        "roll_up_s": round(roll_s, 1),
        "plan": {"days": len(plan.days), "hours": len(plan.hours), "minutes": len(plan.minutes)},
        "query_ms_median": {
            "minutes": round(minutes_ms, 1),
            "tiered": round(tiered_ms, 2),
            "results_page": round(results_ms, 2),
        },
        "memory_bytes_per_day": per_day,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--merchants", type=int, nargs="+", default=[1, 3])
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp())
    server = EmbeddedRedis(var / "redis")
    client = redis.Redis.from_url(server.start())
    try:
        rows = [bench_merchant(client, which, args.days, args.runs) for which in args.merchants]
    finally:
        client.close()
        server.stop()
    setup = {"days": args.days, "runs": args.runs, "load_after": os.getloadavg()}
    print(json.dumps({"setup": setup, "merchants": rows}, indent=2))


if __name__ == "__main__":
    main()
