"""Time of one detection sweep over ~100k active combinations (median of several runs).

Reports separately:

* the pure sweep (evaluation of every series: the minute's counts and rates, the 10-minute
  window's rates, the last 10 seconds' counts, the count windows and the drift against 4
  history days; two-level Benjamini-Hochberg, root-cause grouping, hysteresis) on
  in-memory arrays: the **closing sweep** of a minute (every span tested) and an **open
  sweep** (the count windows and drift carried from the closing sweep, the current
  minute's history moments taken once a minute: ``long_span_tests``);
* what the detector does on every sweep besides: read the open minute of 100k combos from
  a real Redis and put it on the combo index next to the cached closed minutes
  (``Detector.window``);
* what it does once per minute: read and convert one closed minute (about 50 are kept:
  the previous one, today's window and the one before it, yesterday's).

Usage: ``python -m bench.monitoring.sweep_bench [--combos 100000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import redis

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.detector import Detector
from bff.monitoring.detection.evaluation import families_of
from bff.monitoring.detection.seasonal import day_moments
from bff.monitoring.detection.seasonal_spans import (
    CURRENT,
    DRIFT_RECENT,
    DRIFT_REFERENCE,
    SeasonalSpan,
    with_presence,
)
from bff.monitoring.detection.sweep import sweep
from bff.monitoring.detection.sweep_window import Window
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS
from bff.monitoring.rollups.minute_matrices import Matrix
from bff.monitoring.rollups.store import RollupStore
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
    sessions = rng.lognormal(3, 1.2, size=len(names))  # per minute

    def draw(minutes: float) -> Matrix:
        """Counts over ``minutes``: rates keep their ratios (clicks of impressions, successes of
        authorizations, orders per session), as a merchant's traffic does."""
        out = np.zeros((len(names), len(COUNTERS)))
        column = COUNTER_INDEX.__getitem__
        per_session = {"session": 1.0, "impression": 3.0, "view": 2.0, "authorization": 0.15}
        for name, per in per_session.items():
            out[:, column(name)] = rng.poisson(sessions * per * minutes)
        out[:, column("interstitial_open")] = rng.poisson(sessions * 0.12 * minutes)
        out[:, column("click")] = rng.binomial(out[:, column("impression")].astype(np.int64), 0.08)
        success = rng.binomial(out[:, column("authorization")].astype(np.int64), 0.95)
        out[:, column("authorization_success")] = success
        out[:, column("authorization_failure")] = out[:, column("authorization")] - success
        out[:, column("order_created")] = rng.poisson(0.12 * out[:, column("session")])
        return out

    current = draw(1)

    def seasonal(name: str, minutes: int, pool: int = 1, with_open: bool = True) -> SeasonalSpan:
        """A span of today and of 4 history days (the same traffic model: a stationary day)."""
        today = draw(minutes - 1) + current if with_open else draw(minutes)
        history = np.stack([draw(minutes * pool) / pool for _ in range(4)])
        return SeasonalSpan(name, minutes, today, history, np.ones(history.shape[:2], dtype=bool), pool)

    windows = [seasonal(f"{k}m", k) for k in (5, 15, 60)]
    drift = [seasonal(DRIFT_RECENT, 15), seasonal(DRIFT_REFERENCE, 60, with_open=False)]
    spans = with_presence([seasonal(CURRENT, 1, 3), *windows, *drift])
    current_span = dataclasses.replace(spans[0], moments=day_moments(spans[0].history, spans[0].present))
    window = Window(
        names, current, draw(1), draw(3), 1.0, 3,
        window_current=draw(10), window_yesterday=draw(30), window_previous=draw(10), window_minutes=10,
        window_yesterday_minutes=30, families=families_of(names), recent=draw(1 / 6), recent_elapsed=1 / 6,
        seasonal=spans,
    )  # fmt: skip
    pure, open_sweeps, pure_cpu, open_cpu = [], [], [], []  # wall and CPU (the machine is shared)
    for _ in range(args.runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = sweep(window, {}, 0, DetectionConfig())
        pure.append(time.perf_counter() - started)
        pure_cpu.append(time.process_time() - cpu)
    carried = dataclasses.replace(window, seasonal=(current_span,), long_spans=result.evaluation.long_spans)
    for _ in range(args.runs):
        started, cpu = time.perf_counter(), time.process_time()
        sweep(carried, {}, 0, DetectionConfig())
        open_sweeps.append(time.perf_counter() - started)
        open_cpu.append(time.process_time() - cpu)

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
        store.add_counts(Counter({(k[0] - 1, k[1], k[2]): v for k, v in counts.items()}))
        detector = Detector(client)
        started = time.perf_counter()
        detector.window(1000, 0.5, 1000 * 60_000 + 30_000)  # loads the closed minutes
        first = time.perf_counter() - started
        reads = []
        for i in range(args.runs):
            started = time.perf_counter()
            detector.window(1000, 0.5, 1000 * 60_000 + 31_000 + 1000 * i)
            reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        detector.matrices.put(999, store.minute(999))
        closed_minute = time.perf_counter() - started
    finally:
        server.stop()
    print(
        json.dumps(
            {
                "combos": len(names),
                "series_tested": result.evaluation.tests,
                "pure_closing_sweep_s_median": round(statistics.median(pure), 3),
                "pure_open_sweep_s_median": round(statistics.median(open_sweeps), 3),
                "pure_closing_sweep_cpu_s_median": round(statistics.median(pure_cpu), 3),
                "pure_open_sweep_cpu_s_median": round(statistics.median(open_cpu), 3),
                "per_sweep_read_open_minute_s_median": round(statistics.median(reads), 3),
                "first_sweep_of_a_minute_s": round(first, 3),
                "one_closed_minute_read_and_convert_s": round(closed_minute, 3),
                "runs": args.runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
