"""One detection sweep over every series of a minute and of a sliding window (pure, vectorized).

A *series* is a combo and a metric over a span: a counter (a count test) or a rate (a
proportion test) over the current minute, or a rate over the sliding window of the last
``window_minutes`` minutes. ``evaluate(window, config)`` compares the current minute,
possibly still open (``elapsed`` is the fraction of it that the data covers), with two
baselines:

* **the same minute on several history days** (``config.history_days``: yesterday, two
  and three days ago, last week; the ``yesterday_minutes`` minutes around it, pooled) when
  ``window.seasonal`` holds them: counts use a negative binomial around the median of the
  days with the dispersion fitted from them (``count_tests.seasonal_baseline``,
  ``seasonal.fit_baseline``); without seasonal spans, the same minutes yesterday with
  ``config.dispersion + 1 / (yesterday + 1)``. Rates use yesterday (the exact conditional
  test of two proportions);
* **the previous minute** otherwise (a combo without any history): counts use the exact
  conditional Poisson test of the two rates, rates the same proportion test.

**Count windows** (``config.count_windows``: 5, 15, 60 minutes). A combo with a few events
a minute never reaches ``min_volume`` in one minute: its counts are tested over the last
5 minutes, or 15 or 60 where the shorter span still lacks the volume (each span against
the same span on the history days; only those combos are fitted and tested, the others
are untested and calm there, and a family's pooled dispersion is over those combos). A
drop to zero is then seen once the expected count of a span reaches about 20: within 15
minutes at 2 events a minute, 60 at 0.4.

**Drift** (``drift.drift_tests``): the last 15 minutes against the 60 before them,
relative to the same ratio on the history days, for slow declines.

The count windows and the drift are tested once a minute, at its closing sweep, and
carried into the next minute's sweeps (``long_span_tests``, ``Window.long_spans``).

**Sliding window.** A rate of a combo with a few events per minute (the conversion of one
merchant x browser: a handful of orders) cannot show a change in one minute at the
significance Benjamini-Hochberg needs over thousands of series. The window tests pool the
last ``window_minutes`` minutes (the open one up to ``elapsed``) against the same minutes
yesterday, or against the ``window_minutes`` minutes before the window for a combo without
enough traffic yesterday. The one-minute tests stay: they see a large change within
seconds, which the window dilutes. Counts of busy combos are not windowed: their
day-to-day dispersion, not the sample size, limits them (small combos' are: count windows).

Both baselines are always computed and reported; yesterday's decides when it exists,
because a minute-to-minute comparison misses a slow decline and raises a false "spike"
the minute after an outage ends.

A series is *tested* only with enough volume (``min_volume`` events observed or expected
for a count; ``min_trials`` in both samples of a rate, the same rule for a minute and a
window). The rate test is exact (``statistics.conditional_proportion_tails``), so no
normal-approximation rule is needed; ``min_expected_events`` can still ask for that many
expected successes and failures. The two-sided p-values of every series tested in the
sweep, minutes, windows and drift together, are adjusted together (Benjamini-Hochberg). A
finding is a tested series with ``q <= fdr`` and a material change: for a count
``min_relative_change`` of the expected value; for a rate ``min_relative_change`` of the
rarer outcome's baseline rate (a conversion of 12% must move 3.6 points, an authorization
failure rate of 5% 1.5 points), and at least ``min_rate_change`` absolute. A series is
*normal* (for resolving alerts) when it is back within its expected band: tested with
``p > resolve_p``, or (tested or not) a change under ``resolve_change`` (half) of the
materiality threshold, or an untested count within its noise band (``count_tests``): the gap
keeps a change that hovers at the threshold from raising and resolving in turn, and a
drop alert of a small combo closes when its counts are back, not only above a volume.

``DetectionConfig.before_windows()`` is the configuration before the windows and the exact
rate test were introduced (``bench/monitoring/evaluate_detection.py --preset before``
compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from bff.monitoring.detection import statistics as st
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.count_tests import (
    TESTED_COUNTERS,
    count_tests,
    seasonal_baseline,
    yesterday_baseline,
)
from bff.monitoring.detection.findings import (
    METRICS,
    Evaluation,
    Finding,
    series_name,
    split_series,
)
from bff.monitoring.detection.long_span_tests import long_span_tests
from bff.monitoring.detection.rate_tests import rate_tests
from bff.monitoring.detection.seasonal_spans import CURRENT, DRIFT_RECENT
from bff.monitoring.detection.series_columns import join_columns
from bff.monitoring.detection.sweep_window import Window
from bff.monitoring.dimensions import bucket_of
from bff.monitoring.metrics import RATES


def evaluate(window: Window, config: DetectionConfig, sweeps: NDArray[np.intp] | None = None) -> Evaluation:
    """Test every series of ``window``; see the module docstring for the rules.

    ``sweeps`` (optional, one label per combo) evaluates many independent sweeps at once: the
    p-values are adjusted within each label only, as if each were evaluated alone (a replay
    of one series, one row per combo: ``bench/monitoring/evaluate_real.py``).
    """
    families = window.families if window.families is not None else families_of(window.combos)
    f = min(max(window.elapsed, 1e-6), 1.0)
    spans = {span.name: span for span in window.seasonal}
    if CURRENT in spans:
        base = seasonal_baseline(spans[CURRENT], families, config)
    else:
        base = yesterday_baseline(window.yesterday, window.yesterday_minutes, f, config)
    parts = [
        count_tests(window.current, base, f, config, previous=window.previous),
        rate_tests(window.current, window.yesterday, window.previous, window.yesterday_minutes, 1, config),
    ]
    names = METRICS
    w_cur, w_yday, w_prev = window.window_current, window.window_yesterday, window.window_previous
    if config.windowed and w_cur is not None and w_yday is not None and w_prev is not None:
        minutes = max(window.window_minutes, 1)
        yday_minutes = window.window_yesterday_minutes or minutes
        parts.append(rate_tests(w_cur, w_yday, w_prev, yday_minutes, minutes, config))
        names += tuple(series_name(r, f"{minutes}m") for r in RATES)
    if config.recent_seconds > 0 and window.recent is not None and window.recent_elapsed > 0:
        recent = base.scaled(window.recent_elapsed / f)
        parts.append(
            count_tests(window.recent, recent, window.recent_elapsed, config, previous=window.previous)
        )
        names += tuple(series_name(c, f"{config.recent_seconds}s") for c in TESTED_COUNTERS)
    if window.long_spans is not None:
        long = window.long_spans.padded(len(window.combos))
    else:
        long = long_span_tests(spans, window.current, base.mu, f, families, config)
    parts.append(long.columns)
    names += long.names
    c = join_columns(parts)
    q = np.ones(c.p.shape)
    rows, cols = np.nonzero(c.tested)
    labels = np.zeros(rows.size, dtype=np.intp) if sweeps is None else sweeps[rows]
    order = np.argsort(labels, kind="stable")
    for group in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1) if rows.size else []:
        at = rows[group], cols[group]
        if config.fdr_families:
            q[at] = st.family_benjamini_hochberg(c.p[at], families[at[0]], config.fdr, exact=False)[1]
        else:
            q[at] = st.benjamini_hochberg(c.p[at])
    significant = c.tested & c.material & (q <= config.fdr)
    normal = (c.tested & (c.p > config.resolve_p)) | c.calm
    findings = []
    for row, col in zip(*np.nonzero(significant), strict=True):
        metric, span = split_series(names[col])
        findings.append(
            Finding(
                combo=window.combos[row],
                metric=metric,
                direction="down" if c.observed[row, col] < c.expected[row, col] else "up",
                observed=float(c.observed[row, col]),
                expected=float(c.expected[row, col]),
                p_value=float(c.p[row, col]),
                q_value=float(q[row, col]),
                baseline=_baseline_label(
                    bool(c.from_yesterday[row, col]), span, bool(spans) and metric not in RATES
                ),
                deviation=float(c.deviation[row, col]),
                volume=float(c.volume[row, col]),
                span=span,
                trials=float(c.trials[row, col]),
            )
        )
    return Evaluation(
        findings,
        window.combos,
        c.tested,
        significant,
        normal,
        int(c.tested.sum()),
        names,
        c.deviation,
        long,
        c.volume,
    )


def families_of(combos: Sequence[str]) -> NDArray[np.intp]:
    """The BH family of each combo: its merchant (``bucket_of``), one family for the others."""
    labels = [bucket_of(c) for c in combos]
    return np.unique(np.array(labels, dtype=object), return_inverse=True)[1].astype(np.intp)


def _baseline_label(from_yesterday: bool, span: str, seasonal: bool = False) -> str:
    if span == DRIFT_RECENT:
        return f"the hour before, against {_PAST}"
    past = _PAST if seasonal else "yesterday"
    if span.endswith("m"):
        return f"same {span[:-1]} min {past}" if from_yesterday else f"previous {span[:-1]} min"
    return past if from_yesterday else "previous minute"


_PAST = "past days (median)"
