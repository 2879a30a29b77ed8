"""Memory of the history the detector keeps and reads, per combination.

Two figures, both per combo with every counter non-zero in every minute (a busy combo:
the upper bound; a combo without a count in a minute stores nothing for it):

* **Redis**: the rollups of ``--minutes`` minutes of ``--combos`` combos written through
  ``RollupStore.add_counts`` into a private redis-server, ``used_memory`` before and after,
  per combo and minute; times the minutes kept (``ROLLUP_TTL_S``: 8 days) per combo;
* **the detector process**: the numpy arrays a ``Detector`` holds after preparing one
  sweep (``Detector.window``): the closed minutes on the combo index (the previous one,
  the sliding windows, and the seasonal spans' minutes on every history day), the range
  sums that slide with the minute and the span totals. Counted as ``nbytes`` of the arrays
  (Python object overhead excluded), the minutes served by a stub instead of Redis.

Usage: ``python -m bench.monitoring.history_memory [--combos 2000] [--minutes 30]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import redis

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.detector import Detector
from bff.monitoring.detection.seasonal_spans import plan_spans
from bff.monitoring.detection.sweep_window import spans_of
from bff.monitoring.metrics import COUNTERS
from bff.monitoring.rollups.store import ROLLUP_TTL_S, RollupStore
from bff.store.embedded import EmbeddedRedis

MINUTE = 29_000_000
DIMENSIONS = ("country", "payment_method", "browser", "device", "channel")


def combo_names(count: int, per_merchant: int = 80) -> list[str]:
    """``merchant=m..`` and its ``per_merchant - 1`` combos along one dimension each."""
    names = []
    for m in range(count // per_merchant + 1):
        names.append(f"merchant=m{m:05d}")
        names += [f"merchant=m{m:05d}|{DIMENSIONS[j % 5]}=v{j}" for j in range(per_merchant - 1)]
    return names[:count]


class StubRollups:
    """Every minute: every combo with counts 1..9 (the detector reads it like Redis's)."""

    def __init__(self, names: list[str]) -> None:
        self.table = {name: list(range(1, len(COUNTERS) + 1)) for name in names}

    def minute(self, minute: int) -> dict[str, list[int]]:
        return self.table


def redis_bytes_per_combo_minute(names: list[str], minutes: int) -> float:
    server = EmbeddedRedis(Path(tempfile.mkdtemp()))
    client = redis.Redis.from_url(server.start())
    try:
        before = int(client.info("memory")["used_memory"])
        store = RollupStore(client)
        for minute in range(MINUTE - minutes, MINUTE):
            counts: Counter[Any] = Counter()
            for name in names:
                bucket = name.split("|")[0].split("=", 1)[1]
                for i, counter in enumerate(COUNTERS):
                    counts[(minute, bucket, f"{name}#{counter}")] = i + 1
            store.add_counts(counts)
        after = int(client.info("memory")["used_memory"])
    finally:
        server.stop()
    return (after - before) / (len(names) * minutes)


def process_bytes(detector: Detector) -> dict[str, int]:
    minutes = detector.matrices._minutes  # the closed minutes kept (rows, values)
    ranges = detector._ranges
    range_sums = [*ranges._last.values(), *ranges._now.values()]
    totals = [m for t in detector._span_totals for m in (t.today, *t.days_closed, *t.days_open)]
    moments = [
        a
        for t in detector._span_totals
        if t.unit_moments is not None
        for a in (t.unit_moments.centre, t.unit_moments.spread, t.unit_moments.mean)
    ]
    return {
        "closed_minutes": sum(r.nbytes + v.nbytes for r, v in minutes.values()),
        "range_sums": sum(a.nbytes for a in range_sums),
        "span_totals": sum(a.nbytes for a in totals + moments),
        "minutes_kept": len(minutes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--combos", type=int, default=2000)
    parser.add_argument("--minutes", type=int, default=30, help="minutes written to Redis to measure it")
    args = parser.parse_args()
    started = time.monotonic()
    names = combo_names(args.combos)
    config = DetectionConfig()
    per_minute = redis_bytes_per_combo_minute(names, args.minutes)
    server = EmbeddedRedis(Path(tempfile.mkdtemp()))
    client = redis.Redis.from_url(server.start())
    try:
        detector = Detector(client, config)
        detector.rollups = StubRollups(names)  # type: ignore[assignment]
        detector.window(MINUTE, 0.5)
        held = process_bytes(detector)
    finally:
        server.stop()
    read = spans_of(MINUTE, config).minutes().union(*(p.all_minutes() for p in plan_spans(MINUTE, config)))
    kept_minutes = ROLLUP_TTL_S // 60
    arrays = held["closed_minutes"] + held["range_sums"] + held["span_totals"]
    report = {
        "combos": len(names),
        "redis_bytes_per_combo_minute": round(per_minute, 1),
        "redis_minutes_kept": kept_minutes,
        "redis_bytes_per_combo": round(per_minute * kept_minutes),
        "detector_minutes_read_per_sweep": len(read),
        "detector_minutes_kept": held["minutes_kept"],
        "detector_bytes_per_combo": {
            k: round(v / len(names)) for k, v in held.items() if k != "minutes_kept"
        },
        "detector_bytes_per_combo_total": round(arrays / len(names)),
        "at_100k_combos_gb": {
            "redis": round(per_minute * kept_minutes * 100_000 / 1e9, 2),
            "detector": round(arrays / len(names) * 100_000 / 1e9, 2),
        },
        "wall_s": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
