"""Precision and recall per injected anomaly kind, and detection latency in sweeps.

Replays synthetic diurnal traffic (``traffic.py``) for many merchants through the same
pure detector the ``monitor detect`` process runs (``sweep``: evaluation, Benjamini-
Hochberg, root-cause grouping, hysteresis), in virtual time: one sweep every 5 s of
traffic on the open minute (counts so far), yesterday's minutes (and those of the other
history days, for the seasonal spans: ``seasonal_spans``) drawn from the same model, and
the sliding windows built from the same spans as the detector's (``spans_of``); the
recent-seconds counts are the last two 5-s steps.
Each labelled anomaly gets an episode from 10 minutes before it to 15 minutes after it.

* recall: the anomaly raised an alert whose root is related to the target (same merchant,
  or the same country for a country-wide spike) while it lasted (or within 5 minutes);
* exact root: that alert's root is the labelled target itself (its root when raised, or the
  root it moved up to by then: ``alert_moves``; a moved alert counts once);
* precision: of all alerts raised during the episodes of a kind, the share related to
  the target (the others are false alarms);
* latency (virtual): anomaly start -> the sweep that raised the alert. The real-time
  pipeline's own delay (HTTP, stream, worker, sweep interval, Slack) is measured by
  ``latency_bench.py``;
* also reported: false alarms per simulated hour (unrelated alerts over the episodes'
  duration) and related alerts per detected anomaly (1 is one alert per incident; more
  means the incident was split or re-raised).

Every seed draws the same traffic whatever the preset (the window minutes are sampled
either way), so ``--preset before`` and ``--preset after`` are a paired comparison: the
detector configuration is the only difference. ``before`` is
``DetectionConfig.before_windows()`` (one-minute z-tests), ``after`` the default.

Usage: ``python -m bench.monitoring.evaluate_detection [--merchants 150] [--per-kind 4]
[--seeds 11 12 13 14 15] [--preset after] [--jobs 2]``. Prints per-seed results and the
median over seeds of every figure.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import os
import statistics
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from bench.monitoring.traffic import KINDS, Anomaly, Traffic
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.evaluation import families_of
from bff.monitoring.detection.hysteresis import MOVE, RAISE
from bff.monitoring.detection.long_span_tests import LongSpanTests
from bff.monitoring.detection.seasonal_spans import (
    CURRENT,
    RangeSums,
    plan_spans,
    seasonal_span,
    span_totals,
    with_presence,
)
from bff.monitoring.detection.sweep import Transition, sweep
from bff.monitoring.detection.sweep_window import DAY_MINUTES, Window, spans_of
from bff.monitoring.dimensions import merchant_of, parse_combo
from bff.monitoring.metrics import COUNTERS

STEP_S = 5
STEPS = 60 // STEP_S
RECENT_STEPS = 2  # the recent-seconds tests cover the last 2 steps (10 s: the default)
WARMUP_WINDOW = 10  # minutes of windows sampled whatever the preset (same draws for both)
PRESETS = {"before": DetectionConfig.before_windows, "after": DetectionConfig}


Names = list[tuple[float, str]]  # an alert's roots over time, ``(time, root)``: raised, then moved


def related(root: str, anomaly: Anomaly) -> bool:
    if anomaly.kind == "auth_failure_spike":
        return parse_combo(root).get("country") == anomaly.country
    return merchant_of(root) == anomaly.merchant


def run_episode(
    traffic: Traffic, anomaly: Anomaly, config: DetectionConfig, log: list[dict[str, Any]] | None = None
) -> list[Names]:
    """The alerts raised during one episode around ``anomaly``, each as its roots over time
    (raised, then any move up: ``alert_moves``), in the order raised (details into ``log``)."""
    first = int(anomaly.start_s // 60) - 10
    last = int((anomaly.start_s + anomaly.duration_s) // 60) + 15
    sampling = spans_of(first, DetectionConfig(window_minutes=max(config.window_minutes, WARMUP_WINDOW)))
    yesterday: dict[int, np.ndarray] = {}
    today: dict[int, np.ndarray] = {}

    def yday(minute: int) -> np.ndarray:
        if minute not in yesterday:
            yesterday[minute] = traffic.sample(traffic.expected(minute * 60.0, 60, [], yesterday=True))
        return yesterday[minute]

    def total(tables: dict[int, np.ndarray], minutes: range) -> np.ndarray:
        return sum((tables[m] for m in minutes), np.zeros_like(tables[first - 1]))

    for minute in range(sampling.window_previous.start, first):
        today[minute] = traffic.sample(traffic.expected(minute * 60.0, 60, [anomaly]))
    history: dict[int, np.ndarray] = {}

    def table(minute: int) -> np.ndarray:
        """Today's minute, or an earlier warm-up minute or a history day's, drawn on first use."""
        if minute in today:
            return today[minute]
        if minute not in history:
            days_ago = round((first - minute) / DAY_MINUTES)
            expected = traffic.expected(minute * 60.0, 60, [anomaly] if days_ago == 0 else [],
                                        yesterday=days_ago > 0, days_ago=max(days_ago, 1))  # fmt: skip
            history[minute] = traffic.sample(expected, traffic.history_rng)
        return history[minute]

    def add(out: np.ndarray, minute: int, sign: float) -> None:
        out += sign * table(minute)

    ranges = RangeSums(add, len(COUNTERS))
    states: dict[str, Any] = {}
    alerts: list[Names] = []
    open_alerts: dict[str, int] = {}  # root -> index in alerts
    families = families_of(traffic.combos)
    last_steps: deque[np.ndarray] = deque(maxlen=RECENT_STEPS)
    carried: LongSpanTests | None = None  # the count windows and drift of the last closing sweep
    for minute in range(first, last + 1):
        spans = spans_of(minute, config)
        current = np.zeros_like(today[minute - 1])
        baseline = sum((yday(m) for m in spans.yesterday), np.zeros_like(current))
        for m in spans_of(minute, DetectionConfig(window_minutes=WARMUP_WINDOW)).window_yesterday:
            yday(m)  # the same draws whatever the preset
        closed = total(today, spans.window)
        w_yday = sum((yday(m) for m in spans.window_yesterday), np.zeros_like(current))
        w_prev = total(today, spans.window_previous)
        ranges.advance()
        totals = [
            span_totals(p, lambda r: ranges.total(r, len(traffic.combos))) for p in plan_spans(minute, config)
        ]
        for step in range(STEPS):
            closing = step == STEPS - 1  # the minute's complete counts: as the detector's closing sweep
            long_spans = None if closing else carried
            t = minute * 60.0 + step * STEP_S
            increment = traffic.sample(traffic.expected(t, STEP_S, [anomaly]))
            current = current + increment
            last_steps.append(increment)
            recent = np.sum(last_steps, axis=0) * 1.0 if len(last_steps) == last_steps.maxlen else None
            window = Window(
                traffic.combos, current, today[minute - 1], baseline, (step + 1) / STEPS, 3,
                window_current=closed + current, window_yesterday=w_yday, window_previous=w_prev,
                window_minutes=config.window_minutes if config.windowed else 0,
                window_yesterday_minutes=len(spans.window_yesterday), families=families,
                recent=recent, recent_elapsed=RECENT_STEPS * STEP_S / 60,
                seasonal=with_presence(seasonal_span(tot, current, (step + 1) / STEPS) for tot in totals
                                       if long_spans is None or tot.plan.name == CURRENT),
                long_spans=long_spans,
            )  # fmt: skip
            result = sweep(window, states, int((t + STEP_S) * 1000), config)
            states = result.states
            if closing:
                carried = result.evaluation.long_spans
            for tr in result.transitions:
                _record(tr, t + STEP_S, alerts, open_alerts)
            if log is not None:
                log += [
                    _detail(anomaly, t + STEP_S, tr) for tr in result.transitions if tr.kind in (RAISE, MOVE)
                ]
        today[minute] = current
    return alerts


def _record(transition: Transition, t: float, alerts: list[Names], open_alerts: dict[str, int]) -> None:
    """A raise starts an alert's names; a move adds the new root to the moved alert's."""
    root = transition.state.root
    if transition.kind == RAISE:
        open_alerts[root] = len(alerts)
        alerts.append([(t, root)])
    elif transition.kind == MOVE and transition.previous_root in open_alerts:
        open_alerts[root] = open_alerts.pop(transition.previous_root)
        alerts[open_alerts[root]].append((t, root))


def _detail(anomaly: Anomaly, t: float, transition: Transition) -> dict[str, Any]:
    candidate, root = transition.candidate, transition.state.root
    evidence = [
        {"series": f.series, "direction": f.direction, "observed": round(f.observed, 4),
         "expected": round(f.expected, 4), "p": f.p_value, "q": f.q_value, "volume": round(f.volume, 1)}
        for f in (candidate.evidence if candidate is not None else [])
    ]  # fmt: skip
    moved = {"moved_from": transition.previous_root} if transition.kind == MOVE else {}
    return {"kind": anomaly.kind, "target": anomaly.target, "after_start_s": round(t - anomaly.start_s),
            "root": root, "related": related(root, anomaly), **moved, "evidence": evidence}  # fmt: skip


def evaluate(
    merchants: int, per_kind: int, seed: int, config: DetectionConfig, log: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    traffic = Traffic(merchants, seed)
    rng = np.random.default_rng(seed + 1)
    report: dict[str, Any] = {"seed": seed, "merchants": merchants, "combos": len(traffic.combos),
                              "per_kind": per_kind}  # fmt: skip
    episode_s = unrelated_total = 0.0
    for kind in KINDS:
        found = exact = related_alerts = all_alerts = 0
        latencies = []
        for planned in (a for a in traffic.plan_anomalies(per_kind) if a.kind == kind):
            start = float(rng.uniform(7, 21) * 3600)  # daytime and evening, UTC
            anomaly = Anomaly(planned.kind, planned.target, start, planned.duration_s, planned.merchant,
                              planned.browser, planned.country)  # fmt: skip
            alerts = run_episode(traffic, anomaly, config, log)
            episode_s += anomaly.duration_s + 26 * 60
            all_alerts += len(alerts)
            ends = anomaly.start_s + anomaly.duration_s + 300
            mine = [names for names in alerts if any(related(r, anomaly) for _, r in names)]
            hits = [names for names in mine if anomaly.start_s <= names[0][0] <= ends]
            related_alerts += len(mine)
            if hits:
                found += 1
                exact += any(r == anomaly.target and t <= ends for names in hits for t, r in names)
                latencies.append(hits[0][0][0] - anomaly.start_s)
        unrelated_total += all_alerts - related_alerts
        report[kind] = {
            "recall": found / per_kind,
            "exact_root": exact / per_kind,
            "precision": related_alerts / all_alerts if all_alerts else None,
            "alerts": all_alerts,
            "related_per_detected": related_alerts / found if found else None,
            "latency_s_p50": float(np.percentile(latencies, 50)) if latencies else None,
            "latency_s_p95": float(np.percentile(latencies, 95)) if latencies else None,
        }
    report["false_alarms_per_hour"] = unrelated_total / (episode_s / 3600)
    return report


def medians(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The median over seeds of every figure (figures a seed could not compute are left out)."""

    def median(values: list[Any]) -> float | None:
        present = [v for v in values if v is not None]
        return round(float(statistics.median(present)), 3) if present else None

    out: dict[str, Any] = {k: {f: median([r[k][f] for r in reports]) for f in reports[0][k]} for k in KINDS}
    out["false_alarms_per_hour"] = median([r["false_alarms_per_hour"] for r in reports])
    return out


def _run(args: tuple[int, int, int, str, bool, dict[str, Any]]) -> dict[str, Any]:
    merchants, per_kind, seed, preset, explain, overrides = args
    log: list[dict[str, Any]] | None = [] if explain else None
    config = dataclasses.replace(PRESETS[preset](), **overrides)
    report = evaluate(merchants, per_kind, seed, config, log)
    return report | ({"alerts_raised": log} if log is not None else {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--merchants", type=int, default=150)
    parser.add_argument("--per-kind", type=int, default=4)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13, 14, 15])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="after")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="seeds evaluated in parallel")
    parser.add_argument("--explain", action="store_true", help="list every alert raised, with its evidence")
    parser.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE",
                        help="override DetectionConfig fields, e.g. fdr_families=False")  # fmt: skip
    args = parser.parse_args()
    started = time.monotonic()
    overrides = {k: ast.literal_eval(v) for k, v in (item.split("=", 1) for item in args.set)}
    work = [
        (args.merchants, args.per_kind, seed, args.preset, args.explain, overrides) for seed in args.seeds
    ]
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            reports = list(pool.map(_run, work))
    else:
        reports = [_run(w) for w in work]
    wall_s = round(time.monotonic() - started, 1)
    summary = {
        "preset": args.preset,
        "overrides": overrides,
        "seeds": args.seeds,
        "median": medians(reports),
        "per_seed": reports,
    }
    print(json.dumps(summary | {"wall_s": wall_s}, indent=2))


if __name__ == "__main__":
    main()
