"""Scoring alerts against labelled windows (bench/monitoring/real_scoring.py) and the replay's inputs."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pytest

from bench.monitoring.evaluate_real import (
    as_counts,
    is_held_out,
    period_rows,
    poisson_alerts,
    project_alerts,
    zscore_alerts,
)
from bench.monitoring.real_scoring import (
    nab_normalized,
    probation_rows,
    rising_edges,
    scaled_sigmoid,
    score_series,
    window_rows,
)
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.hysteresis import RAISE, AlertState
from bff.monitoring.detection.seasonal_spans import plan_spans, seasonal_span, span_totals, with_presence
from bff.monitoring.detection.sweep import sweep
from bff.monitoring.detection.sweep_window import Window
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS


@pytest.mark.parametrize(("rows", "probation"), [(1000, 150), (4032, 604), (22695, 750), (5, 0)])
def test_probation_is_15_percent_capped_at_750_rows(rows: int, probation: int) -> None:
    assert probation_rows(rows) == probation


def test_rising_edges_are_the_first_rows_of_runs() -> None:
    assert rising_edges([True, True, False, True, False, False, True]) == [0, 3, 6]


def test_scaled_sigmoid_matches_nab() -> None:
    assert scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-5)
    assert scaled_sigmoid(0.0) == 0.0 and scaled_sigmoid(3.5) == -1.0


def test_score_series_counts_windows_false_alarms_and_delays() -> None:
    windows = [(300, 399), (600, 699)]
    score = score_series([100, 310, 320, 450, 990], windows, 1000)  # 100 is in probation (150 rows)
    assert (score.windows, score.detected, score.false_alarms, score.scored_rows) == (2, 1, 2, 850)
    assert score.delays == (10,)
    early = scaled_sigmoid(-(399 - 310 + 1) / 100) / scaled_sigmoid(-1.0)
    after = 0.11 * scaled_sigmoid(abs(399 - 450) / 99)
    far = 0.11 * scaled_sigmoid(abs(699 - 990) / 99)
    assert score.nab_raw == pytest.approx(early - 1.0 + after + far)


def test_nab_normalized_is_zero_without_alerts_and_100_when_perfect() -> None:
    windows = [(300, 399), (600, 699)]
    assert nab_normalized([score_series([], windows, 1000)]) == 0.0
    perfect = nab_normalized([score_series([300, 600], windows, 1000)])
    assert perfect == pytest.approx(100.0)
    noisy = nab_normalized([score_series(list(range(160, 1000, 7)), windows, 1000)])
    assert noisy < 0


def test_window_rows_map_label_timestamps_to_rows() -> None:
    stamps = [f"2015-01-01 00:{m:02d}:00" for m in range(0, 60, 5)]
    assert window_rows(stamps, [("2015-01-01 00:10:00.000000", "2015-01-01 00:22:00.000000")]) == [(2, 4)]


def test_counts_periods_and_held_out_series() -> None:
    assert as_counts([1.0, 2.0, 0.0]).tolist() == [1.0, 2.0, 0.0]  # counts stay counts
    assert as_counts([0.11, 0.13, 0.12]).tolist() == [1100.0, 1300.0, 1200.0]  # scaled to a median ~1,000
    assert period_rows([f"2015-01-01 {h:02d}:00:00" for h in range(5)]) == 24
    assert is_held_out("realTweets/Twitter_volume_AAPL.csv") and is_held_out("realKnownCause/nyc_taxi.csv")
    assert not is_held_out("realKnownCause/machine_temperature_system_failure.csv")


def test_the_two_baselines_fire_on_an_obvious_spike_only() -> None:
    rng = np.random.default_rng(0)
    counts = rng.poisson(100, size=600).astype(float)
    counts[500] = 400
    assert zscore_alerts(counts) == [500]
    assert 500 in poisson_alerts(counts, 24) and not math.isnan(counts.sum())


def sweep_per_row(counts: np.ndarray, period: int) -> list[int]:
    """The replay the slow way: one ``sweep()`` per row, windows built from ``plan_spans``."""
    config = DetectionConfig()
    col = COUNTER_INDEX["impression"]

    def total(minutes: Iterable[int]) -> np.ndarray:
        out = np.zeros((1, len(COUNTERS)))
        out[0, col] = sum(counts[m] for m in minutes if 0 <= m < len(counts))
        return out

    states: dict[str, AlertState] = {}
    alerts = []
    for t in range(1, len(counts)):
        plans = plan_spans(t, config, day=period)
        known = np.array(
            [all(m >= 0 for p in plans for m in p.day_minutes(j)) for j in range(len(config.history_days))]
        )
        current = total([t])
        spans = with_presence((seasonal_span(span_totals(p, total), current, 1.0) for p in plans), known)
        yesterday = total(range(t - period - 1, t - period + 2))
        families = np.zeros(1, dtype=np.intp)
        window = Window(("*",), current, total([t - 1]), yesterday, 1.0, 3, families=families, seasonal=spans)
        result = sweep(window, states, t * 60_000, config)
        states = result.states
        alerts += [t for tr in result.transitions if tr.kind == RAISE]
    return alerts


def test_the_batched_replay_raises_exactly_what_a_sweep_per_row_raises() -> None:
    rng = np.random.default_rng(7)
    period = 48
    level = 60 + 40 * np.sin(np.arange(period * 9) * 2 * np.pi / period)
    counts = rng.poisson(level).astype(float)
    counts[300:330] = 0  # an outage
    counts[380:384] *= 3  # a spike
    counts[400:] *= np.linspace(1.0, 0.4, len(counts) - 400)  # a decline
    counts = np.round(counts)
    alerts = project_alerts(counts, period, DetectionConfig())
    assert alerts and alerts == sweep_per_row(counts, period)
