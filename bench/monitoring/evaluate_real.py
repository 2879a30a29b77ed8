"""The detector on real, labelled, public series (NAB), against two simple baselines.

Every series of ``bench/monitoring/data/nab`` (the real series of the Numenta Anomaly
Benchmark with its labelled anomaly windows; see the README there) is replayed as the
counts of one combo (``*``, the ``impression`` counter), **one row per detector minute**,
through the pure ``sweep()`` with default settings (its evaluation of all rows at once,
then its state steps row by row: ``project_alerts``); a "day" is one period of the series
(the rows of 24 hours at its median sampling interval: 288 for 5-minute rows), so
"yesterday" is one period earlier and "last week" seven. Each row is swept once, closed.
Values that are not all integers (CPU %, latency, prices) are scaled by a power of ten so
that their median is about 1,000, then rounded: the detector sees counts. (A measurement
has no count scale of its own; at a median of about 100, Poisson noise, not the series'
own, dominated smooth series such as a CPU at 4.3% +- 0.3 and hid their shifts: 51 of 72
windows instead of 58. Counts, among them every held-out series, are replayed as they are.)

Three detectors, one alert per rising edge of their condition:

* **project**: ``sweep()`` raise transitions;
* **z-score**: ``|x - mean| / sd > 4`` over the previous 288 rows;
* **poisson**: ``x`` against ``Poisson(value one period earlier)``, two-sided ``p < 0.001``.

Scored with ``real_scoring`` (windows detected, false alarms per 1,000 rows, median delay in
rows, NAB standard score). The realTweets series and realKnownCause/nyc_taxi are held out
(an outside check of this work; nothing was tuned on them): reported as a separate block
only with ``--held-out``.

Usage: ``python -m bench.monitoring.evaluate_real [--held-out] [--jobs 2] [--series NAME ...]``.
"""

from __future__ import annotations

import argparse
import ast
import csv
import dataclasses
import gzip
import io
import itertools
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench.monitoring.real_scoring import SeriesScore, nab_normalized, rising_edges, score_series, window_rows
from bff.monitoring.detection import statistics as st
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.evaluation import evaluate
from bff.monitoring.detection.findings import Evaluation, Finding
from bff.monitoring.detection.hysteresis import RAISE, AlertState
from bff.monitoring.detection.seasonal_spans import SeasonalSpan, plan_spans, with_presence
from bff.monitoring.detection.sweep import advance
from bff.monitoring.detection.sweep_window import Window
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS

DATA = Path(__file__).parent / "data" / "nab"
HELD_OUT = ("realTweets/", "realKnownCause/nyc_taxi.csv")
DETECTORS = ("project", "zscore", "poisson")
Z_WINDOW, Z_LIMIT, POISSON_P = 288, 4.0, 1e-3


def is_held_out(name: str) -> bool:
    return name.startswith(HELD_OUT[0]) or name == HELD_OUT[1]


def load(name: str) -> tuple[list[str], list[float]]:
    """Timestamps and values of one series (``realTraffic/speed_7578.csv``)."""
    with gzip.open(DATA / f"{name}.gz", "rt") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    return [r["timestamp"] for r in rows], [float(r["value"]) for r in rows]


def as_counts(values: list[float]) -> np.ndarray:
    """Integer series as they are; others scaled by a power of ten to a median near 1,000."""
    x = np.maximum(np.asarray(values, dtype=np.float64), 0.0)
    if np.all(x == np.round(x)):
        return x
    median = float(np.median(x[x > 0])) if np.any(x > 0) else 1.0
    return np.round(x * 10.0 ** round(math.log10(1000.0 / median)))


def period_rows(timestamps: list[str]) -> int:
    """Rows per 24 hours at the median sampling interval."""
    times = [datetime.fromisoformat(t[:19]) for t in timestamps[:2000]]
    step = statistics.median((b - a).total_seconds() for a, b in itertools.pairwise(times))
    return max(1, round(86400 / max(step, 1.0)))


def project_alerts(counts: np.ndarray, period: int, config: DetectionConfig) -> list[int]:
    """Rows at which ``sweep()`` raised an alert, one sweep per closed row.

    Every row's sweep is independent until the alert states, so the evaluations of all rows
    are computed at once (one combo per row, the p-values adjusted per row:
    ``evaluate(..., sweeps=)``), then the states are advanced row by row (``advance``),
    which is ``sweep()`` split in two. A span of row ``t`` is the span of row 0 shifted by
    ``t``; minutes before the first row are missing: a history day is known for a row only
    when all of its minutes are.
    """
    n, col = len(counts), COUNTER_INDEX["impression"]
    prefix = np.concatenate(([0.0], np.cumsum(counts)))
    rows = np.arange(n)

    def sums(r: range) -> np.ndarray:
        """The sum of ``r`` shifted to every row: one value per row."""
        if len(r) == 0:
            return np.zeros(n)
        return prefix[np.clip(rows + r.stop, 0, n)] - prefix[np.clip(rows + r.start, 0, n)]

    def matrix(values: np.ndarray) -> np.ndarray:
        out = np.zeros((n, len(COUNTERS)))
        out[:, col] = values
        return out

    plans = plan_spans(0, config, day=period)
    spans = []
    for p in plans:
        today = matrix(sums(p.today) + (counts if p.with_open else 0.0))
        days = [matrix(sums(c) + sums(o)) / p.pool for c, o in zip(p.days_closed, p.days_open, strict=True)]
        history = np.stack(days) if days else np.zeros((0, n, len(COUNTERS)))
        present = np.ones(history.shape[:2], dtype=bool)
        spans.append(SeasonalSpan(p.name, p.minutes, today, history, present, p.pool, p.samples))
    earliest = [
        min([0, *(m for p in plans for m in p.day_minutes(j))]) for j in range(len(config.history_days))
    ]
    known = np.array([rows + e >= 0 for e in earliest], dtype=bool).reshape(len(earliest), n)
    half = config.yesterday_minutes // 2
    yesterday = sums(range(-period - half, -period - half + config.yesterday_minutes))
    seasonal = with_presence(spans, known)
    combos = tuple(str(t) for t in rows)
    previous = matrix(sums(range(-1, 0)))
    window = Window(combos, matrix(counts), previous, matrix(yesterday), 1.0, config.yesterday_minutes,
                    families=rows, seasonal=seasonal)  # fmt: skip
    batch = evaluate(window, config, sweeps=rows)
    findings: dict[int, list[Finding]] = {}
    for f in batch.findings:
        findings.setdefault(int(f.combo), []).append(dataclasses.replace(f, combo="*"))
    states: dict[str, AlertState] = {}
    alerts = []
    deviations = batch.deviations if batch.deviations is not None else np.zeros(batch.tested.shape)
    for t in range(1, n):
        one = slice(t, t + 1)
        evaluation = Evaluation(findings.get(t, []), ("*",), batch.tested[one], batch.significant[one],
                                batch.normal[one], int(batch.tested[t].sum()), batch.series,
                                deviations[one])  # fmt: skip
        result = advance(evaluation, states, t * 60_000, config)
        states = result.states
        alerts += [t for tr in result.transitions if tr.kind == RAISE]
    return alerts


def zscore_alerts(counts: np.ndarray) -> list[int]:
    """Rising edges of ``|z| > 4`` against the previous 288 rows (at least 30 of them)."""
    flags = [False] * len(counts)
    for t in range(30, len(counts)):
        past = counts[max(0, t - Z_WINDOW) : t]
        sd = float(past.std())
        flags[t] = sd > 0 and abs(counts[t] - float(past.mean())) / sd > Z_LIMIT
    return rising_edges(flags)


def poisson_alerts(counts: np.ndarray, period: int) -> list[int]:
    """Rising edges of a two-sided Poisson ``p < 0.001`` against the row one period earlier."""
    x, y = counts[period:], np.maximum(counts[:-period], 0.5) if period < len(counts) else (counts[:0],) * 2
    p = st.two_sided(*st.poisson_tails(x, y))
    return rising_edges([False] * period + [bool(v < POISSON_P) for v in p])


def evaluate_series(job: tuple[str, list[tuple[str, str]], dict[str, Any]]) -> dict[str, Any]:
    """Every detector's score on one series."""
    name, labelled, overrides = job
    timestamps, values = load(name)
    counts = as_counts(values)
    period = period_rows(timestamps)
    windows = window_rows(timestamps, labelled)
    alerts: dict[str, Callable[[], list[int]]] = {
        "project": lambda: project_alerts(counts, period, DetectionConfig(**overrides)),
        "zscore": lambda: zscore_alerts(counts),
        "poisson": lambda: poisson_alerts(counts, period),
    }
    out: dict[str, Any] = {"series": name, "rows": len(counts), "period": period}
    started = time.monotonic()
    for detector, run in alerts.items():
        score = score_series(run(), windows, len(counts))
        out[detector] = score.__dict__ | {"delays": list(score.delays)}
    print(f"{name}: {len(counts)} rows, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return out


def summarize(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per detector: windows detected, false alarms per 1,000 rows, median delay, NAB score."""
    table = {}
    for detector in DETECTORS:
        scores = [SeriesScore(**(r[detector] | {"delays": tuple(r[detector]["delays"])})) for r in results]
        delays = [d for s in scores for d in s.delays]
        rows = sum(s.scored_rows for s in scores)
        table[detector] = {
            "windows": sum(s.windows for s in scores),
            "detected": sum(s.detected for s in scores),
            "false_alarms_per_1000": round(1000 * sum(s.false_alarms for s in scores) / max(rows, 1), 2),
            "median_delay_rows": statistics.median(delays) if delays else None,
            "nab_standard": round(nab_normalized(scores), 1),
        }
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--held-out", action="store_true", help="also score the held-out series (once, at the end)"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--series", nargs="*", default=[], help="only these series (relative names)")
    parser.add_argument(
        "--set", nargs="*", default=[], metavar="FIELD=VALUE", help="override DetectionConfig"
    )
    parser.add_argument("--per-series", action="store_true", help="print every series' figures")
    args = parser.parse_args()
    started = time.monotonic()
    labels = json.loads((DATA / "combined_windows.json").read_text())
    names = [n for n in sorted(labels) if (DATA / f"{n}.gz").exists()]
    names = [
        n for n in names if (not args.series or n in args.series) and (args.held_out or not is_held_out(n))
    ]
    overrides = {k: ast.literal_eval(v) for k, v in (item.split("=", 1) for item in args.set)}
    jobs = [(n, [tuple(w) for w in labels[n]], overrides) for n in names]
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(evaluate_series, jobs))
    else:
        results = [evaluate_series(j) for j in jobs]
    report: dict[str, Any] = {
        "tuned": summarize([r for r in results if not is_held_out(r["series"])]),
    }
    if args.held_out:
        report["held_out"] = summarize([r for r in results if is_held_out(r["series"])])
    if args.per_series:
        report["per_series"] = results
    print(
        json.dumps(
            report | {"overrides": overrides, "wall_s": round(time.monotonic() - started, 1)}, indent=2
        )
    )


if __name__ == "__main__":
    main()
