"""The drift test (pure): the last minutes against the hour before, relative to the history days."""

from __future__ import annotations

import numpy as np

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.drift import drift_tests, log_ratio, poisson_variance
from bff.monitoring.detection.seasonal_spans import SeasonalSpan
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS

CONFIG = DetectionConfig()
SESSION = 2  # column of "session" among the tested counters


def span(today: float, history: list[float], name: str = "drift") -> SeasonalSpan:
    current = np.zeros((1, len(COUNTERS)))
    current[0, COUNTER_INDEX["session"]] = today
    hist = np.zeros((len(history), 1, len(COUNTERS)))
    hist[:, 0, COUNTER_INDEX["session"]] = history
    return SeasonalSpan(name, 15, current, hist, np.ones((len(history), 1), dtype=bool))


def test_log_ratio_and_its_poisson_variance() -> None:
    assert np.allclose(log_ratio(np.array([99.5]), np.array([49.5])), np.log(2.0))
    assert np.allclose(poisson_variance(np.array([99.5]), np.array([49.5])), 1 / 100 + 1 / 50)


def test_a_decline_within_the_hour_is_a_drift_even_when_the_day_is_busier_than_usual() -> None:
    # usual: 15 min of 1500 after an hour of 6000 (the daily curve is flat here); today the level
    # is 20% higher than any history day (not a drift), but the last 15 min fell to 0.8 of it
    recent, reference = span(0.8 * 1800, [1500, 1480, 1530, 1510]), span(7200, [6000, 5950, 6050, 6020])
    c = drift_tests(recent, reference, CONFIG)
    assert c.tested[0, SESSION] and c.material[0, SESSION] and c.p[0, SESSION] < 1e-6
    assert abs(float(c.expected[0, SESSION]) - 1800) < 10  # the reference times history's ratio


def test_a_steady_day_at_another_level_is_no_drift() -> None:
    recent, reference = span(1800, [1500, 1480, 1530, 1510]), span(7200, [6000, 5950, 6050, 6020])
    c = drift_tests(recent, reference, CONFIG)
    assert (
        c.tested[0, SESSION] and not c.material[0, SESSION] and c.calm[0, SESSION] and c.p[0, SESSION] > 0.05
    )


def test_a_rise_is_not_a_drift_and_noisy_history_widens_the_band() -> None:
    rise = drift_tests(span(2400, [1500] * 4), span(6000, [6000] * 4), CONFIG)
    assert rise.p[0, SESSION] == 1.0  # declines only: a spike is the minute tests' business
    steady = drift_tests(span(1200, [1500] * 4), span(6000, [6000] * 4), CONFIG).p[0, SESSION]
    noisy = drift_tests(span(1200, [1100, 1500, 1900, 1300]), span(6000, [6000] * 4), CONFIG).p[0, SESSION]
    assert steady < 1e-6 and noisy > steady * 1e3


def test_without_history_or_volume_nothing_is_tested() -> None:
    none = drift_tests(span(0, []), span(6000, []), CONFIG)
    assert not none.tested.any()
    small = drift_tests(span(2, [10] * 4), span(40, [40] * 4), CONFIG)
    assert not small.tested[0, SESSION]
