"""Time of one detection sweep over ~100k active combinations (median of several runs).

Reports separately: the pure sweep (evaluation of every series, Benjamini-Hochberg,
root-cause grouping, hysteresis) on in-memory arrays, and reading one minute of 100k
combos from a real Redis (``RollupStore.minute``) plus aligning it (``build_window``).
Usage: ``python -m bench.monitoring.sweep_bench [--combos 100000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import redis

from bff.monitoring.evaluation import DetectionConfig, Window, build_window
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS
from bff.monitoring.rollup_store import RollupStore
from bff.monitoring.sweep import sweep
from bff.store.embedded import EmbeddedRedis

DIMENSIONS = ("country", "payment_method", "browser", "device", "channel")


def combos(count: int) -> list[str]:
    per_merchant = 80
    names = ["*"]
    for m in range(count // per_merchant):
        names.append(f"merchant=m{m:05d}")
        for j in range(per_merchant - 1):
            names.append(f"merchant=m{m:05d}|{DIMENSIONS[j % 5]}=v{j}")
    return names[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--combos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(5)
    names = combos(args.combos)
    rates = rng.lognormal(3, 1.2, size=(len(names), 1)) * np.ones((1, len(COUNTERS)))
    rates[:, COUNTER_INDEX["order_created"]] *= 0.1
    current, previous, yesterday = rng.poisson(rates), rng.poisson(rates), rng.poisson(rates * 3)
    window = Window(names, current * 1.0, previous * 1.0, yesterday * 1.0, 1.0, 3)
    pure = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = sweep(window, {}, 0, DetectionConfig())
        pure.append(time.perf_counter() - started)

    server = EmbeddedRedis(Path(tempfile.mkdtemp()))
    client = redis.Redis.from_url(server.start())
    try:
        store = RollupStore(client)
        counts: Counter = Counter()  # type: ignore[type-arg]
        for name, row in zip(names, current, strict=True):
            bucket = name.split("|")[0].split("=", 1)[1] if name != "*" else "*"
            for i, counter in enumerate(COUNTERS):
                if row[i]:
                    counts[(1000, bucket, f"{name}#{counter}")] = int(row[i])
        store.add_counts(counts)
        reads = []
        for _ in range(args.runs):
            started = time.perf_counter()
            table = store.minute(1000)
            build_window(table, table, [table, table, table], 1.0)
            reads.append(time.perf_counter() - started)
    finally:
        server.stop()
    print(
        json.dumps(
            {
                "combos": len(names),
                "series_tested": result.evaluation.tests,
                "pure_sweep_s_median": round(statistics.median(pure), 3),
                "redis_read_and_align_s_median": round(statistics.median(reads), 3),
                "runs": args.runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
