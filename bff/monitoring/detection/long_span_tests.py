"""The count windows and the drift test of a sweep, tested once a minute (pure).

The count windows (``config.count_windows``: the last 5, 15 and 60 minutes of combos with
too few events a minute, see ``evaluation``) and the drift test (``drift.py``: the last 15
minutes against the 60 before them) judge spans of 5 to 75 minutes against every history
day. Fitting them on every sweep (every 0.5 s in production, every 5 s in the simulator)
repeats the fit over every history day of every span for a change of a fraction of a
minute, and made sweeps about three times slower. So the detector tests them at the
**closing sweep** of each minute (its complete counts) and carries the result
(``LongSpanTests``) into the sweeps of the next minute (``Window.long_spans``), where their
p-values are adjusted together with that sweep's other tests. A sweep given no carried
result (the detector's first minute) tests them on its own spans.

The count windows, like the drift, judge **declines only**: a rise is the minute's and the
last seconds' business, and a spike held for up to an hour in a 60-minute window raised
alerts long after it ended (on the simulator, 15-minute country-wide authorization-failure
spikes raised 23 alerts per two spikes, mostly merchants' failure counts over 15 and 60
minutes, where 4.5 were raised before issue #17; 4.0 with windows judging declines only).

The price: a change that only these spans see is raised at the closing sweep of a minute,
not during it (docs/monitoring.md's drop-to-zero times were measured on closing sweeps);
a finding of these spans stays in the next minute's sweeps until the next closing sweep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.count_tests import TESTED_COUNTERS, TESTED_INDEX, count_tests, seasonal_baseline
from bff.monitoring.detection.drift import drift_tests
from bff.monitoring.detection.findings import series_name
from bff.monitoring.detection.seasonal_spans import DRIFT_RECENT, DRIFT_REFERENCE, SeasonalSpan, subset
from bff.monitoring.detection.series_columns import (
    Columns,
    Matrix,
    empty_columns,
    join_columns,
    scatter_columns,
)


@dataclass(frozen=True)
class LongSpanTests:
    """Results of the count windows and the drift test (rows: combos; ``names``: their series)."""

    columns: Columns
    names: tuple[str, ...]

    def padded(self, rows: int) -> LongSpanTests:
        """The same results over ``rows`` rows: rows beyond these (combos new since) untested, calm."""
        have = self.columns.p.shape[0]
        if have >= rows:
            return self
        return LongSpanTests(
            scatter_columns(self.columns, np.arange(have), rows) if have else _calm(rows, len(self.names)),
            self.names,
        )


def long_span_tests(
    spans: Mapping[str, SeasonalSpan],
    current: Matrix,
    current_mu: Matrix,
    elapsed: float,
    families: NDArray[np.intp],
    config: DetectionConfig,
) -> LongSpanTests:
    """Test the count windows and the drift of ``spans`` (by name; absent spans are skipped).

    ``current`` are the current minute's counts (all counters) over ``elapsed`` of it and
    ``current_mu`` its expected counts (tested counters): a window is tested where the
    shorter span (the minute, then 5, then 15 minutes) has fewer than ``min_volume`` events
    observed and expected.
    """
    n = current.shape[0]
    parts: list[Columns] = []
    names: tuple[str, ...] = ()
    shorter = np.maximum(current[:, TESTED_INDEX], current_mu) / elapsed
    for k in config.count_windows:
        counted = spans.get(f"{k}m")
        if counted is None:
            continue
        rows = np.flatnonzero((shorter < config.min_volume).any(axis=1))  # only these can be tested
        names += tuple(series_name(c, f"{k}m") for c in TESTED_COUNTERS)
        if rows.size == 0:
            parts.append(_calm(n, len(TESTED_COUNTERS)))
            continue
        part = subset(counted, rows)
        span_base = seasonal_baseline(part, families[rows], config)
        eligible = (shorter[rows] < config.min_volume) & span_base.known[:, None]
        tests = count_tests(part.current, span_base, float(k), config, eligible=eligible)
        tests.p = np.where(tests.observed > tests.expected, 1.0, tests.p)  # declines only: see above
        parts.append(scatter_columns(tests, rows, n))
        shorter[rows] = np.maximum(part.current[:, TESTED_INDEX], span_base.mu)
    if DRIFT_RECENT in spans and DRIFT_REFERENCE in spans:
        parts.append(drift_tests(spans[DRIFT_RECENT], spans[DRIFT_REFERENCE], config))
        names += tuple(series_name(c, DRIFT_RECENT) for c in TESTED_COUNTERS)
    if not parts:
        return LongSpanTests(empty_columns(n, 0), ())
    return LongSpanTests(join_columns(parts), names)


def _calm(rows: int, series: int) -> Columns:
    """``rows`` x ``series`` untested series, calm (back within their band: nothing to resolve)."""
    return scatter_columns(empty_columns(0, series), np.arange(0), rows)
