"""Proportion tests of every rate (conversion, click-through, ...) of a table of counts (pure).

Each rate of the current counts is tested against yesterday's (enough trials there) or
else the previous span's, with the exact conditional test (or the z test on request); a
change is material above ``min_rate_change`` absolute and ``min_relative_change`` of the
rarer outcome's baseline rate.
"""

from __future__ import annotations

import numpy as np

from bff.monitoring.detection import statistics as st
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.series_columns import Columns, Matrix, empty_columns
from bff.monitoring.metrics import COUNTER_INDEX, RATES


def rate_tests(
    cur: Matrix, yday: Matrix, prev: Matrix, yday_minutes: int, prev_minutes: int, config: DetectionConfig
) -> Columns:
    """Every rate of ``cur`` against ``yday`` (enough trials) or else ``prev``."""
    n = cur.shape[0]
    c = empty_columns(n, len(RATES))
    test = st.two_proportion_tails if config.rate_test == "z" else st.conditional_proportion_tails
    for col, (num, den) in enumerate(RATES.values()):
        i, j = COUNTER_INDEX[num], COUNTER_INDEX[den]
        trials = cur[:, j]
        successes = np.minimum(cur[:, i], trials)
        use_y = yday[:, j] >= config.min_trials
        base_n = np.where(use_y, yday[:, j], prev[:, j])
        base_s = np.minimum(np.where(use_y, yday[:, i], prev[:, i]), base_n)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(trials > 0, successes / trials, 0.0)
            base_rate = np.where(base_n > 0, base_s / base_n, 0.0)
        enough = (trials >= config.min_trials) & (base_n >= config.min_trials)
        if config.min_expected_events > 0:
            enough &= (np.minimum(base_s, base_n - base_s) >= config.min_expected_events) & (
                np.minimum(trials * base_rate, trials * (1 - base_rate)) >= config.min_expected_events
            )
        p = np.ones(n)  # only where it is used: the tested series
        p[enough] = st.two_sided(*test(successes[enough], trials[enough], base_s[enough], base_n[enough]))
        c.observed[:, col], c.expected[:, col], c.p[:, col] = rate, base_rate, p
        c.tested[:, col] = enough
        threshold = np.full(n, config.min_rate_change)
        if config.relative_rate_change:
            rarer = np.minimum(base_rate, 1.0 - base_rate)
            threshold = np.maximum(threshold, config.min_relative_change * rarer)
        c.material[:, col] = np.abs(rate - base_rate) >= threshold
        c.calm[:, col] = np.abs(rate - base_rate) < config.resolve_change * threshold
        # volume of a rate = the baseline's trials per minute: comparable across combos and
        # not inflated by the anomaly itself (a spike of failed authorizations adds trials)
        per_minute = base_n / np.where(use_y, yday_minutes, prev_minutes)
        c.deviation[:, col], c.volume[:, col] = successes - trials * base_rate, per_minute
        c.trials[:, col] = trials
        c.from_yesterday[:, col] = use_y
    return c
