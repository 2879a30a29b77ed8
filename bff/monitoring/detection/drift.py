"""Slow drift: the last minutes against the hour before them, relative to the history days (pure).

A decline to 40% over an hour moves each minute by 1% of the level: no single minute, and
not even a 15-minute window against the day-to-day band of the history days, is
significant until most of it has happened. The drift test compares a series with itself:
the ratio of the last ``recent`` minutes to the ``reference`` minutes before them, today,
against the same ratio on the history days (the daily curve also moves a series within
an hour). Day-to-day level differences cancel in the ratio, which leaves a narrow band.

With ``x``, ``y`` today's counts of the two spans and ``x_d``, ``y_d`` a history day's,
``r = log((x + 1/2) / (y + 1/2))``: ``z = (r - median_d r_d) / sqrt(v + tau2 + v_c)`` with
``v = 1/(x + 1/2) + 1/(y + 1/2)`` (Poisson), ``tau2`` the variance of ``r_d`` between
days beyond their Poisson part (``seasonal.spread_variance``, shrunk towards
``config.drift_prior`` with ``config.dispersion_prior_days`` of weight) and ``v_c`` the
variance of the median. The p-value is normal, of a decline only (twice the lower tail,
on the scale of the two-sided p-values it is adjusted with): a rise is a spike, which the
minute and last-seconds tests see within seconds, and a one-minute spike must not hold
its alert open for the 15 minutes it stays in the recent span. A drift is tested where
the recent span reaches ``min_volume`` counts (observed or expected), *material* when the
ratio moved ``drift_min_change`` against history's and *calm* under ``resolve_change`` of
that.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.count_tests import MEDIAN_VARIANCE, TESTED_COUNTERS, TESTED_INDEX
from bff.monitoring.detection.seasonal import robust_centre, spread_variance
from bff.monitoring.detection.seasonal_spans import SeasonalSpan
from bff.monitoring.detection.series_columns import Columns, Matrix, empty_columns


def log_ratio(x: Matrix, y: Matrix) -> Matrix:
    """``log((x + 1/2) / (y + 1/2))``."""
    return np.log((x + 0.5) / (y + 0.5))


def poisson_variance(x: Matrix, y: Matrix) -> Matrix:
    """The Poisson variance of ``log_ratio(x, y)``: ``1/(x + 1/2) + 1/(y + 1/2)``."""
    return 1.0 / (x + 0.5) + 1.0 / (y + 0.5)


def drift_tests(recent: SeasonalSpan, reference: SeasonalSpan, config: DetectionConfig) -> Columns:
    """Drift of every tested counter (see the module docstring)."""
    n, k = recent.current.shape[0], len(TESTED_COUNTERS)
    c = empty_columns(n, k)
    x, y = recent.current[:, TESTED_INDEX], reference.current[:, TESTED_INDEX]
    xd, yd = recent.history[:, :, TESTED_INDEX], reference.history[:, :, TESTED_INDEX]
    present = recent.present & reference.present
    days = present.sum(axis=0)
    if xd.shape[0] == 0:
        return c
    rd = log_ratio(xd, yd)
    centre = robust_centre(rd, present)
    day_var = robust_centre(poisson_variance(xd, yd), present)
    fitted = np.nan_to_num(np.maximum(spread_variance(rd, present, centre) - day_var, 0.0))
    weight = np.maximum(days - 1, 0)[:, None].astype(np.float64)
    tau2 = (weight * fitted + config.dispersion_prior_days * config.drift_prior) / (
        weight + config.dispersion_prior_days
    )
    r = log_ratio(x, y)
    var = poisson_variance(x, y) + tau2 + MEDIAN_VARIANCE * day_var / np.maximum(days, 1)[:, None]
    z = (r - centre) / np.sqrt(var)
    expected = (y + 0.5) * np.exp(centre) - 0.5
    known = (days > 0)[:, None]
    tested = known & (np.maximum(x, expected) >= config.min_volume)
    change = np.abs(np.exp(r - centre) - 1.0)
    c.observed, c.expected = x, np.where(known, expected, x)
    c.p = np.where(tested, np.minimum(1.0, 2.0 * special.ndtr(z)), 1.0)  # declines only
    c.tested = tested
    c.material = change >= config.drift_min_change
    c.calm = ~known | (change < config.resolve_change * config.drift_min_change)
    c.deviation, c.volume, c.trials = x - c.expected, c.expected, c.expected
    c.from_yesterday = np.broadcast_to(known, (n, k)).copy()
    return c
