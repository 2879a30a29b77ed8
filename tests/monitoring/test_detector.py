"""The detector's windows over a real Redis: closed-minute sums and the recent-seconds counts."""

from __future__ import annotations

from collections import Counter

import redis

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.detector import Detector
from bff.monitoring.metrics import COUNTER_INDEX
from bff.monitoring.rollups.aggregation import MINUTE_MS, CountedEvent, increments
from bff.monitoring.rollups.store import RollupStore

MINUTE = 29_000_000  # any minute: the detector is driven with explicit times


def sessions(minute: int, count: int) -> Counter:  # type: ignore[type-arg]
    values = {"merchant": "acme", "country": "SE"}
    return increments([CountedEvent("", minute * MINUTE_MS, values, ("session",))] * count)


def session_row(matrix, detector: Detector, combo: str = "merchant=acme") -> float:  # type: ignore[no-untyped-def]
    return float(matrix[detector.matrices.index[combo], COUNTER_INDEX["session"]])


def test_window_sums_cover_the_closed_minutes_and_the_open_one(redis_client: redis.Redis) -> None:
    store = RollupStore(redis_client)
    for minute in range(MINUTE - 19, MINUTE):
        store.add_counts(sessions(minute, 10))
    for minute in range(MINUTE - 1440 - 19, MINUTE - 1440 + 11):
        store.add_counts(sessions(minute, 7))
    store.add_counts(sessions(MINUTE, 4))
    detector = Detector(redis_client, DetectionConfig(window_minutes=10))
    window = detector.window(MINUTE, 0.5)
    assert session_row(window.current, detector) == 4 and session_row(window.previous, detector) == 10
    assert window.window_current is not None and window.window_yesterday is not None
    assert window.window_previous is not None
    assert session_row(window.window_current, detector) == 9 * 10 + 4
    assert session_row(window.window_yesterday, detector) == 30 * 7 and window.window_yesterday_minutes == 30
    assert session_row(window.window_previous, detector) == 10 * 10
    assert session_row(window.yesterday, detector) == 3 * 7


def test_recent_seconds_are_the_counts_since_a_snapshot_even_across_the_minute(
    redis_client: redis.Redis,
) -> None:
    store = RollupStore(redis_client)
    detector = Detector(redis_client, DetectionConfig(recent_seconds=10))
    start = MINUTE * MINUTE_MS
    store.add_counts(sessions(MINUTE, 30))
    first = detector.window(MINUTE, 0.75, start + 45_000)
    assert first.recent is None  # no snapshot old enough yet
    store.add_counts(sessions(MINUTE, 12))
    later = detector.window(MINUTE, 0.95, start + 57_000)
    assert later.recent is not None and session_row(later.recent, detector) == 12
    assert later.recent_elapsed == 12_000 / MINUTE_MS
    store.add_counts(sessions(MINUTE, 5) + sessions(MINUTE + 1, 8))  # the rest of the minute, then 8
    # at 63 s the newest snapshot at least 10 s old is the one of 45 s (30 counted then):
    # the previous minute's final 47 minus 30, plus the new minute's 8, over 18 s
    across = detector.window(MINUTE + 1, 0.05, start + 63_000)
    assert across.recent is not None and session_row(across.recent, detector) == 47 - 30 + 8
    assert across.recent_elapsed == 18_000 / MINUTE_MS


def test_seasonal_spans_sum_every_history_day_and_slide_with_the_minute(redis_client: redis.Redis) -> None:
    store = RollupStore(redis_client)
    config = DetectionConfig(history_days=(1, 7), count_windows=(5,), drift_minutes=(0, 0))
    for day, count in ((1, 3), (7, 5)):
        for minute in range(MINUTE - day * 1440 - 10, MINUTE - day * 1440 + 3):
            store.add_counts(sessions(minute, count))
    for minute in range(MINUTE - 10, MINUTE + 2):
        store.add_counts(sessions(minute, 4))
    detector = Detector(redis_client, config)
    for minute in (MINUTE, MINUTE + 1):  # the second minute's sums slide from the first's
        spans = {s.name: s for s in detector.window(minute, 0.5).seasonal}
        current, window = spans[""], spans["5m"]
        assert [session_row(h, detector) for h in current.history] == [1.5] * 3 + [2.5] * 3  # half a minute
        assert session_row(window.current, detector) == 4 * 4 + 4
        assert [session_row(h, detector) for h in window.history] == [4 * 3 + 1.5, 4 * 5 + 2.5]
        assert current.samples == (0, 0, 0, 1, 1, 1) and window.present.all()
    # during a minute, the history minutes of the next one are read ahead, one per call
    while detector.prefetch(MINUTE + 1):
        pass
    assert MINUTE + 2 - 1440 in detector.matrices and MINUTE + 2 - 7 * 1440 in detector.matrices
