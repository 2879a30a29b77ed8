"""Precision and recall per injected anomaly kind, and detection latency in sweeps.

Replays synthetic diurnal traffic (``traffic.py``) for many merchants through the same
pure detector the ``monitor detect`` process runs (``sweep``: evaluation, Benjamini-
Hochberg, root-cause grouping, hysteresis), in virtual time: one sweep every 5 s of
traffic on the open minute (counts so far), yesterday's minutes drawn from the same model.
Each labelled anomaly gets an episode from 10 minutes before it to 15 minutes after it.

* recall: the anomaly raised an alert whose root is related to the target (same merchant,
  or the same country for a country-wide spike) while it lasted (or within 5 minutes);
* exact root: that alert's root is the labelled target itself;
* precision: of all alerts raised during the episodes of a kind, the share related to
  the target (the others are false alarms);
* latency (virtual): anomaly start -> the sweep that raised the alert. The real-time
  pipeline's own delay (ingest, worker, sweep interval, Slack) is measured by
  ``live_latency.py``.

Usage: ``python -m bench.monitoring.evaluate_detection [--merchants 300] [--per-kind 8]``.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np

from bench.monitoring.traffic import KINDS, Anomaly, Traffic
from bff.monitoring.dimensions import merchant_of, parse_combo
from bff.monitoring.evaluation import DetectionConfig, Window
from bff.monitoring.hysteresis import RAISE
from bff.monitoring.sweep import sweep

STEP_S = 5
STEPS = 60 // STEP_S


def related(root: str, anomaly: Anomaly) -> bool:
    if anomaly.kind == "auth_failure_spike":
        return parse_combo(root).get("country") == anomaly.country
    return merchant_of(root) == anomaly.merchant


def run_episode(traffic: Traffic, anomaly: Anomaly, config: DetectionConfig) -> list[tuple[float, str]]:
    """Alerts ``(time, root)`` raised during one episode around ``anomaly``."""
    first = int(anomaly.start_s // 60) - 10
    last = int((anomaly.start_s + anomaly.duration_s) // 60) + 15
    yesterday: dict[int, np.ndarray] = {}

    def yday(minute: int) -> np.ndarray:
        if minute not in yesterday:
            yesterday[minute] = traffic.sample(traffic.expected(minute * 60.0, 60, [], yesterday=True))
        return yesterday[minute]

    previous = traffic.sample(traffic.expected((first - 1) * 60.0, 60, [anomaly]))
    states: dict[str, Any] = {}
    alerts = []
    for minute in range(first, last + 1):
        current = np.zeros_like(previous)
        baseline = yday(minute - 1) + yday(minute) + yday(minute + 1)
        for step in range(STEPS):
            t = minute * 60.0 + step * STEP_S
            current = current + traffic.sample(traffic.expected(t, STEP_S, [anomaly]))
            window = Window(traffic.combos, current, previous, baseline, (step + 1) / STEPS, 3)
            result = sweep(window, states, int((t + STEP_S) * 1000), config)
            states = result.states
            alerts += [(t + STEP_S, tr.state.root) for tr in result.transitions if tr.kind == RAISE]
        previous = current
    return alerts


def evaluate(merchants: int, per_kind: int, seed: int, config: DetectionConfig) -> dict[str, Any]:
    traffic = Traffic(merchants, seed)
    rng = np.random.default_rng(seed + 1)
    report: dict[str, Any] = {"merchants": merchants, "combos": len(traffic.combos), "per_kind": per_kind}
    for kind in KINDS:
        found = exact = related_alerts = all_alerts = 0
        latencies = []
        for planned in (a for a in traffic.plan_anomalies(per_kind) if a.kind == kind):
            start = float(rng.uniform(7, 21) * 3600)  # daytime and evening, UTC
            anomaly = Anomaly(planned.kind, planned.target, start, planned.duration_s, planned.merchant,
                              planned.browser, planned.country)  # fmt: skip
            alerts = run_episode(traffic, anomaly, config)
            all_alerts += len(alerts)
            hits = [(t, r) for t, r in alerts if related(r, anomaly)
                    and anomaly.start_s <= t <= anomaly.start_s + anomaly.duration_s + 300]  # fmt: skip
            related_alerts += sum(1 for _, r in alerts if related(r, anomaly))
            if hits:
                found += 1
                exact += any(r == anomaly.target for _, r in hits)
                latencies.append(hits[0][0] - anomaly.start_s)
        report[kind] = {
            "recall": found / per_kind,
            "exact_root": exact / per_kind,
            "precision": related_alerts / all_alerts if all_alerts else None,
            "alerts": all_alerts,
            "latency_s_p50": float(np.percentile(latencies, 50)) if latencies else None,
            "latency_s_p95": float(np.percentile(latencies, 95)) if latencies else None,
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--merchants", type=int, default=300)
    parser.add_argument("--per-kind", type=int, default=8)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    started = time.monotonic()
    report = evaluate(args.merchants, args.per_kind, args.seed, DetectionConfig())
    report["wall_s"] = round(time.monotonic() - started, 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
