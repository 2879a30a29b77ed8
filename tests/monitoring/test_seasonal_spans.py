"""Which minutes the seasonal spans read, their sums, presence, and sliding range sums (pure)."""

from __future__ import annotations

import numpy as np

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.seasonal_spans import (
    CURRENT,
    DRIFT_RECENT,
    DRIFT_REFERENCE,
    RangeSums,
    SpanPlan,
    plan_spans,
    seasonal_span,
    span_totals,
    with_presence,
)

CONFIG = DetectionConfig(history_days=(1, 7), count_windows=(5,), drift_minutes=(15, 60), yesterday_minutes=3)


def test_plan_spans_reads_the_same_minutes_on_every_history_day() -> None:
    plans = {p.name: p for p in plan_spans(10_000, CONFIG, day=100)}
    assert list(plans) == [CURRENT, "5m", DRIFT_RECENT, DRIFT_REFERENCE]
    current = plans[CURRENT]
    assert [list(r) for r in current.days_open] == [[9_899], [9_900], [9_901], [9_299], [9_300], [9_301]]
    assert current.samples == (0, 0, 0, 1, 1, 1) and list(current.today) == []
    assert current.day_minutes(1) == {9_299, 9_300, 9_301} and window_day(plans["5m"], 1) == set(
        range(9_296, 9_301)
    )
    window = plans["5m"]
    assert list(window.today) == list(range(9_996, 10_000)) and window.with_open
    assert [list(r) for r in window.days_closed] == [list(range(9_896, 9_900)), list(range(9_296, 9_300))]
    assert [list(r) for r in window.days_open] == [[9_900], [9_300]]
    reference = plans[DRIFT_REFERENCE]
    assert list(reference.today) == list(range(9_926, 9_986)) and not reference.with_open
    assert list(reference.days_closed[0]) == list(range(9_826, 9_886))
    assert plan_spans(10_000, DetectionConfig(history_days=())) == ()


def window_day(plan: SpanPlan, day: int) -> set[int]:
    return plan.day_minutes(day)


def test_a_span_ending_with_the_open_minute_counts_the_aligned_minute_for_elapsed() -> None:
    counts = {m: float(m % 7 + 1) for m in range(9_000, 10_001)}

    def total(minutes: object) -> np.ndarray:
        return np.array([[sum(counts.get(m, 0.0) for m in minutes)]])  # type: ignore[attr-defined]

    plans = {
        p.name: p for p in plan_spans(10_000, DetectionConfig(history_days=(1,), count_windows=(5,)), day=100)
    }
    now = np.array([[4.0]])
    window = seasonal_span(span_totals(plans["5m"], total), now, 0.5)
    assert window.current[0, 0] == sum(counts[m] for m in range(9_996, 10_000)) + 4.0
    assert window.history[0, 0, 0] == sum(counts[m] for m in range(9_896, 9_900)) + 0.5 * counts[9_900]
    minute = seasonal_span(span_totals(plans[CURRENT], total), now, 0.5)
    assert minute.history[:, 0, 0].tolist() == [0.5 * counts[9_899], 0.5 * counts[9_900], 0.5 * counts[9_901]]


def test_with_presence_needs_counts_that_day_and_a_known_day() -> None:
    history = np.array([[[5.0], [0.0]], [[3.0], [2.0]]])  # 2 days x 2 combos x 1 counter
    spans = plan_spans(0, DetectionConfig(history_days=(1, 2), count_windows=()), day=10)[:1]
    span = seasonal_span(span_totals(spans[0], lambda r: np.zeros((2, 1))), np.zeros((2, 1)), 1.0)
    span = type(span)(span.name, span.minutes, span.current, history, span.present, span.pool)
    (marked,) = with_presence([span])
    assert marked.present.tolist() == [[True, False], [True, True]]
    (known,) = with_presence([span], np.array([False, True]))
    assert known.present.tolist() == [[False, False], [True, True]]


def test_range_sums_slide_by_one_minute_with_two_additions_and_equal_the_full_sum() -> None:
    rng = np.random.default_rng(4)
    tables = {m: rng.poisson(5, size=(3, 2)).astype(float) for m in range(200)}
    touched: list[int] = []

    def add(out: np.ndarray, minute: int, sign: float) -> None:
        touched.append(minute)
        out[: tables[minute].shape[0]] += sign * tables[minute]

    sums = RangeSums(add, 2)
    for minute in range(100, 110):
        sums.advance()
        touched.clear()
        got = sums.total(range(minute - 60, minute), 3)
        assert np.array_equal(got, sum(tables[m] for m in range(minute - 60, minute)))
        assert len(touched) == (60 if minute == 100 else 2)
    assert sums.total(range(109 - 60, 109), 4).shape == (4, 2)  # padded to new combos
