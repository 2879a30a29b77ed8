"""Counts against several history days, low-volume windows, and alerts that close (pure sweeps)."""

from __future__ import annotations

import numpy as np

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.count_tests import CountBaseline, count_tests, seasonal_baseline
from bff.monitoring.detection.evaluation import evaluate
from bff.monitoring.detection.findings import NORMAL, SIGNIFICANT, UNKNOWN
from bff.monitoring.detection.hysteresis import RAISE, RESOLVE
from bff.monitoring.detection.seasonal_spans import plan_spans, seasonal_span, span_totals, with_presence
from bff.monitoring.detection.sweep import sweep
from bff.monitoring.detection.sweep_window import Window
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS

CONFIG = DetectionConfig()
DAY = 1440
SESSION = COUNTER_INDEX["session"]


def replay(per_minute: dict[int, float], minute: int, config: DetectionConfig = CONFIG) -> Window:
    """The window of a closed ``minute`` of one combo whose sessions per minute are ``per_minute``."""

    def total(minutes: object) -> np.ndarray:
        out = np.zeros((1, len(COUNTERS)))
        out[0, SESSION] = sum(per_minute.get(m, 0.0) for m in minutes)  # type: ignore[attr-defined]
        return out

    current = total([minute])
    spans = with_presence(
        seasonal_span(span_totals(p, total), current, 1.0) for p in plan_spans(minute, config)
    )
    yesterday = total(range(minute - DAY - 1, minute - DAY + 2))
    return Window(("merchant=small",), current, total([minute - 1]), yesterday, 1.0, 3,
                  families=np.zeros(1, dtype=np.intp), seasonal=spans)  # fmt: skip


def history(rate: float, start: int, end: int) -> dict[int, float]:
    """``rate`` sessions a minute (alternating around it, like counts) on days 1, 2, 3, 7 and today."""
    out = {}
    for day in (0, 1, 2, 3, 7):
        for m in range(start - day * DAY, end - day * DAY):
            out[m] = rate + (1 if m % 2 else -1) * min(rate, 1.0)
    return out


def test_the_median_of_the_days_ignores_one_unusual_day() -> None:
    traffic = history(100, 0, 2 * DAY)
    for m in range(DAY + 900 - 7 * DAY - 2, DAY + 900 - 7 * DAY + 3):
        traffic[m] = 160  # last week, at this time: a sale (it widens the band: seasonal.spread_variance)
    (finding,) = evaluate(replay(traffic | {DAY + 900: 0}, DAY + 900), CONFIG).findings
    assert (finding.series, finding.direction, finding.baseline) == ("session", "down", "past days (median)")
    assert abs(finding.expected - 100) <= 1  # not pulled towards 160
    assert evaluate(replay(traffic, DAY + 900), CONFIG).findings == []


def test_a_small_combo_dropping_to_zero_is_found_over_a_longer_window() -> None:
    traffic = history(2, 0, 2 * DAY)  # 2 sessions a minute: never tested in one minute
    for m in range(DAY + 600, DAY + 700):
        traffic[m] = 0
    found = {}
    for minute in range(DAY + 600, DAY + 660):
        for f in evaluate(replay(traffic, minute), CONFIG).findings:
            found.setdefault(f.series, minute - DAY - 600 + 1)
    assert found.get("session@15m") is not None and found["session@15m"] <= 15
    assert "session" not in found  # the minute alone never had the volume


def test_count_tests_fall_back_to_the_previous_minute_without_any_baseline() -> None:
    cur, prev = np.zeros((1, len(COUNTERS))), np.zeros((1, len(COUNTERS)))
    cur[0, SESSION], prev[0, SESSION] = 5.0, 200.0
    none = CountBaseline(np.zeros((1, 6)), np.zeros((1, 6)), np.zeros(1, dtype=bool))
    c = count_tests(cur, none, 1.0, CONFIG, previous=prev)
    assert c.tested[0, 2] and c.expected[0, 2] == 200.0 and c.p[0, 2] < 1e-20
    assert not count_tests(cur, none, 1.0, CONFIG).tested.any()  # windows: no fallback


def test_seasonal_baseline_adds_the_noise_of_the_median() -> None:
    traffic = history(50, 0, 2 * DAY)
    window = replay(traffic, DAY + 100)
    base = seasonal_baseline(window.seasonal[0], np.zeros(1, dtype=np.intp), CONFIG)
    assert base.known[0] and abs(base.mu[0, 2] - 50) <= 1 and base.dispersion[0, 2] > 0


def test_a_drop_alert_resolves_when_back_within_its_band_and_can_alert_again() -> None:
    traffic = history(2, 0, 2 * DAY)
    outage = set(range(DAY + 600, DAY + 640)) | set(range(DAY + 800, DAY + 840))
    for m in outage:
        traffic[m] = 0
    states: dict = {}  # type: ignore[type-arg]
    kinds = []
    for minute in range(DAY + 590, DAY + 900):
        result = sweep(replay(traffic, minute), states, minute * 60_000, CONFIG)
        states = result.states
        kinds += [(t.kind, minute) for t in result.transitions]
    assert [k for k, _ in kinds] == [RAISE, RESOLVE, RAISE, RESOLVE]
    (_, m1), (_, m2), (_, m3), (_, m4) = kinds
    assert DAY + 600 < m1 < m2 <= DAY + 640 + 60 and DAY + 800 < m3 < m4 <= DAY + 840 + 60


def test_an_untested_count_within_its_noise_is_back_in_band_and_a_long_gap_is_not() -> None:
    traffic = history(2, 0, 2 * DAY)
    evaluation = evaluate(replay(traffic, DAY + 300), CONFIG)
    assert evaluation.status("merchant=small", "session", "down") == NORMAL  # 1 or 3 where ~2: noise
    traffic[DAY + 301] = 0
    assert evaluate(replay(traffic, DAY + 301), CONFIG).status("merchant=small", "session", "down") == NORMAL
    for m in range(DAY + 301, DAY + 321):
        traffic[m] = 0
    gap = evaluate(replay(traffic, DAY + 320), CONFIG)
    assert gap.status("merchant=small", "session@15m", "down") == SIGNIFICANT
    assert gap.status("merchant=small", "session@60m", "down") == UNKNOWN  # not tested: the 15 min had volume
