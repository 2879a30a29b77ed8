"""The count windows and drift carried from a minute's closing sweep, and the current
minute's history moments taken once a minute (pure sweeps, then the detector over Redis)."""

from __future__ import annotations

import dataclasses

import numpy as np
import redis

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.count_tests import seasonal_baseline
from bff.monitoring.detection.detector import Detector
from bff.monitoring.detection.evaluation import evaluate
from bff.monitoring.detection.seasonal import day_moments
from bff.monitoring.detection.seasonal_spans import (
    CURRENT,
    plan_spans,
    seasonal_span,
    span_totals,
    with_presence,
)
from bff.monitoring.metrics import COUNTERS
from bff.monitoring.rollups.aggregation import MINUTE_MS, CountedEvent, increments
from bff.monitoring.rollups.store import RollupStore
from tests.monitoring.test_count_windows import DAY, history, replay

CONFIG = DetectionConfig()


def small_merchant_down(minute: int) -> dict[int, float]:
    """2 sessions a minute on every history day; today none since 30 minutes before ``minute``."""
    traffic = history(2, 0, 2 * DAY)
    return traffic | {m: 0.0 for m in range(minute - 30, minute + 1)}


def test_an_open_sweep_carries_the_closing_sweeps_windows_and_adjusts_them_with_its_own_tests() -> None:
    minute = DAY + 700
    closing = evaluate(replay(small_merchant_down(minute), minute), CONFIG)
    assert closing.long_spans is not None
    assert {f.series for f in closing.findings} >= {"session@15m"}
    opened = replay(small_merchant_down(minute + 1), minute + 1)
    current_only = tuple(s for s in opened.seasonal if s.name == CURRENT)
    carried = dataclasses.replace(opened, elapsed=0.5, seasonal=current_only, long_spans=closing.long_spans)
    result = evaluate(carried, CONFIG)
    assert {f.series for f in result.findings} == {f.series for f in closing.findings}
    assert result.series == closing.series


def test_count_windows_judge_declines_only_a_small_combos_spike_is_the_minutes_business() -> None:
    minute = DAY + 700
    spiking = history(2, 0, 2 * DAY) | {m: 12.0 for m in range(minute - 30, minute + 1)}
    found = evaluate(replay(spiking, minute), CONFIG).findings
    assert not [f for f in found if f.span.endswith("m")]  # 12 a minute: too few for the minute's test


def test_combos_new_since_the_closing_sweep_are_untested_and_calm_in_the_carried_spans() -> None:
    minute = DAY + 700
    closing = evaluate(replay(small_merchant_down(minute), minute), CONFIG)
    assert closing.long_spans is not None
    padded = closing.long_spans.padded(3)
    assert padded.columns.p.shape == (3, len(padded.names))
    assert not padded.columns.tested[1:].any() and padded.columns.calm[1:].all()
    assert np.array_equal(padded.columns.p[:1], closing.long_spans.columns.p)


def test_the_current_minutes_moments_taken_once_a_minute_scale_with_the_elapsed_part() -> None:
    minute, combos = 8 * DAY + 600, 40
    rates = np.random.default_rng(3).uniform(0, 30, size=(combos, len(COUNTERS)))
    rates[::5] = 0.0  # combos without any history

    def total(minutes: object) -> np.ndarray:
        draws = (np.random.default_rng(m).poisson(rates) for m in minutes)  # type: ignore[attr-defined]
        return sum(draws, np.zeros((combos, len(COUNTERS))))

    current = total([minute]) * 0.3
    (plan,) = (p for p in plan_spans(minute, CONFIG) if p.name == CURRENT)
    totals = span_totals(plan, total)
    assert totals.unit_moments is not None
    (span,) = with_presence([seasonal_span(totals, current, 0.3)])
    fitted = day_moments(span.history, span.present)
    assert span.moments is not None
    assert np.allclose(span.moments.centre, fitted.centre) and np.allclose(span.moments.mean, fitted.mean)
    assert np.allclose(span.moments.spread, fitted.spread, equal_nan=True)
    families = np.zeros(combos, dtype=np.intp)
    fast = seasonal_baseline(span, families, CONFIG)
    slow = seasonal_baseline(dataclasses.replace(span, moments=None), families, CONFIG)
    assert np.allclose(fast.mu, slow.mu) and np.allclose(fast.dispersion, slow.dispersion)


def test_the_detector_carries_the_closing_sweeps_windows_into_the_next_minute(
    redis_client: redis.Redis,
) -> None:
    store = RollupStore(redis_client)
    minute, values = 29_000_000, {"merchant": "acme", "country": "SE"}
    for day in (0, 1, 2, 3, 7):
        for m in range(minute - day * DAY - 80, minute - day * DAY + 3):
            store.add_counts(increments([CountedEvent("", m * MINUTE_MS, values, ("session",))] * 2))
    detector = Detector(redis_client, CONFIG)
    detector.sweep_once(minute * MINUTE_MS + 30_000)
    assert detector._long is None  # no closing sweep yet: the open sweep tested the windows itself
    detector.sweep_once((minute + 1) * MINUTE_MS + 30_000)  # closes the minute, then sweeps the next
    assert detector._long is not None and detector._long[0] == minute
    window = detector.window(minute + 1, 0.5, long_spans=detector._long[1])
    assert [s.name for s in window.seasonal] == [CURRENT] and window.long_spans is detector._long[1]
