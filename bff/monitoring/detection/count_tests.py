"""Count tests of one sweep: a span's counts against their baseline, negative binomial (pure).

A ``CountBaseline`` gives, per combo and tested counter, the expected count of a span and
the dispersion of the negative binomial around it:

* ``seasonal_baseline(span, families, config)``: the median of the span over the history
  days and the dispersion fitted from them (``seasonal.fit_baseline``), plus the variance
  of the median itself (``pi / 2`` times the Poisson variance of a mean over the days);
* ``yesterday_baseline(window, config)``: the detector without history days: the same
  minutes yesterday, ``config.dispersion`` plus the baseline's Poisson noise.

``count_tests(cur, base, f, config, ...)`` tests counts ``cur`` against it where either the
counts or the expectation reach ``min_volume`` (and ``eligible``: the low-volume rule of
the count windows, see ``evaluation``); a combo without any baseline falls back to
``previous`` (the exact conditional Poisson test against the previous minute) when given.
A count is *material* when it moved ``min_relative_change`` of its expected value and
*calm* (back within its band, tested or not) when it moved under ``resolve_change`` of that
or, untested (too small), when it is within two standard deviations (plus one event) of
the baseline's negative binomial: 1 event where 2.3 were expected is back in its band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bff.monitoring.detection import statistics as st
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.seasonal import day_moments, fit_baseline
from bff.monitoring.detection.seasonal_spans import SeasonalSpan
from bff.monitoring.detection.series_columns import Columns, Matrix, empty_columns
from bff.monitoring.metrics import COUNTER_INDEX

TESTED_COUNTERS = (
    "impression",
    "click",
    "session",
    "authorization",
    "authorization_failure",
    "order_created",
)
TESTED_INDEX = [COUNTER_INDEX[c] for c in TESTED_COUNTERS]
MEDIAN_VARIANCE = np.pi / 2  # variance of a median over a mean's, for normal samples


@dataclass(frozen=True)
class CountBaseline:
    """Expected counts ``mu`` of a span (combos x tested counters), their NB ``dispersion``,
    and whether the combo has a baseline (``known``: per combo)."""

    mu: Matrix
    dispersion: Matrix
    known: NDArray[np.bool_]

    def scaled(self, factor: float) -> CountBaseline:
        """The same baseline for a span ``factor`` times as long (the last seconds of a minute)."""
        return CountBaseline(self.mu * factor, self.dispersion, self.known)


def seasonal_baseline(
    span: SeasonalSpan, families: NDArray[np.intp], config: DetectionConfig
) -> CountBaseline:
    """The median over the history days and the fitted dispersion (see the module docstring)."""
    history = span.history[:, :, TESTED_INDEX]
    moments = (span.moments.columns(TESTED_INDEX) if span.moments is not None
               else day_moments(history, span.present))  # fmt: skip
    centre, dispersion, days = fit_baseline(
        history, span.present, families, config.dispersion, config.dispersion_prior_days,
        config.max_dispersion, span.pool, moments,
    )  # fmt: skip
    noise = MEDIAN_VARIANCE / (centre * span.pool * np.maximum(days, 1)[:, None] + 1.0)
    return CountBaseline(centre, dispersion + noise, days > 0)


def yesterday_baseline(
    yesterday: Matrix, minutes: int, elapsed: float, config: DetectionConfig
) -> CountBaseline:
    """The same ``minutes`` minutes yesterday (pooled) at ``elapsed`` of a minute."""
    y = yesterday[:, TESTED_INDEX]
    return CountBaseline(y / minutes * elapsed, config.dispersion + 1.0 / (y + 1.0), y.sum(axis=1) > 0)


def count_tests(
    cur: Matrix,
    base: CountBaseline,
    f: float,
    config: DetectionConfig,
    previous: Matrix | None = None,
    eligible: NDArray[np.bool_] | None = None,
) -> Columns:
    """Counts ``cur`` (all counters) over ``f`` minutes against ``base``; see the module docstring."""
    n, k = cur.shape[0], len(TESTED_COUNTERS)
    c = empty_columns(n, k)
    known = np.broadcast_to(base.known[:, None], (n, k))
    x = cur[:, TESTED_INDEX]
    prev = previous[:, TESTED_INDEX] if previous is not None else np.zeros((n, k))
    mu = np.where(known, base.mu, prev * f)
    tested = (np.maximum(x, mu) >= config.min_volume) & (known | (previous is not None))
    if eligible is not None:
        tested &= eligible
    threshold = config.min_relative_change * np.maximum(mu, 1.0)
    # p-values only where they are used (tested series), each with its own baseline's test
    by_base, by_prev = tested & known, tested & ~known
    p = np.ones((n, k))
    p[by_base] = st.negative_binomial_two_sided(x[by_base], mu[by_base], base.dispersion[by_base])
    p[by_prev] = st.two_sided(*st.poisson_rate_tails(x[by_prev], f, prev[by_prev], 1.0))
    c.observed, c.expected, c.p, c.tested = x, mu, p, tested
    c.material = np.abs(x - mu) >= threshold
    # within its noise: two standard deviations (and one event) of the baseline's NB
    noise = 2.0 * np.sqrt(mu + np.where(known, base.dispersion, 0.0) * mu**2) + 1.0
    c.calm = (np.abs(x - mu) < config.resolve_change * threshold) | (~tested & (np.abs(x - mu) <= noise))
    c.deviation, c.volume, c.trials = x - mu, mu, mu
    c.from_yesterday = known.copy()
    return c
