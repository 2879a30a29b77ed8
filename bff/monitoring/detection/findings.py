"""What a sweep finds: series names, a ``Finding``, and an ``Evaluation`` of every series (pure).

A *series* is a combo's metric over a span: ``conversion`` (the current minute),
``conversion@10m`` (a sliding window), ``session@10s`` (the last seconds), ``impression@5m``
(a count window), ``impression@15d`` (drift). ``evaluation.evaluate`` builds the
``Evaluation``; grouping and hysteresis read ``Finding`` and the statuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from bff.monitoring.detection.count_tests import TESTED_COUNTERS
from bff.monitoring.detection.series_columns import Matrix
from bff.monitoring.metrics import RATES

if TYPE_CHECKING:  # long_span_tests names its series with series_name, below
    from bff.monitoring.detection.long_span_tests import LongSpanTests

METRICS = TESTED_COUNTERS + tuple(RATES)
SIGNIFICANT, NORMAL, UNKNOWN = "significant", "normal", "unknown"


def series_name(metric: str, span: str = "") -> str:
    """``conversion`` (the current minute), ``conversion@10m`` (a 10-minute sliding window),
    ``session@10s`` (the last 10 seconds)."""
    return f"{metric}@{span}" if span else metric


def split_series(name: str) -> tuple[str, str]:
    """Inverse of ``series_name``: ``conversion@10m`` -> ``("conversion", "10m")``."""
    metric, _, span = name.partition("@")
    return metric, span


@dataclass(frozen=True)
class Finding:
    """A significant, material change of one series."""

    combo: str
    metric: str
    direction: str
    observed: float
    expected: float
    p_value: float
    q_value: float
    baseline: str
    deviation: float
    volume: float
    span: str = ""  # "" the current minute, "10m" a sliding window, "10s" the last seconds
    trials: float = 0.0  # a rate's trials, a count's expected value (0: unknown)

    @property
    def series(self) -> str:
        return series_name(self.metric, self.span)


@dataclass
class Evaluation:
    """The findings of a sweep, and the status of any series on request.

    ``long_spans``: the count windows' and drift's results the sweep used (to carry into the
    next minute's sweeps after a closing sweep: ``long_span_tests``).
    """

    findings: list[Finding]
    combos: Sequence[str]
    tested: NDArray[np.bool_]
    significant: NDArray[np.bool_]
    normal: NDArray[np.bool_]
    tests: int
    series: tuple[str, ...] = METRICS
    deviations: Matrix | None = None
    long_spans: LongSpanTests | None = None
    volumes: Matrix | None = None
    _index: dict[str, int] = field(default_factory=dict)

    def deviation(self, combo: str, series: str) -> float:
        """The deviation (observed - expected events) of any series, tested or not; 0 if unknown."""
        return self._cell(self.deviations, combo, series)

    def volume(self, combo: str, series: str) -> float:
        """The volume a series' test weighed (a rate's trials, a count's events); 0 if unknown."""
        return self._cell(self.volumes, combo, series)

    def _cell(self, matrix: Matrix | None, combo: str, series: str) -> float:
        if not self._index:
            self._index = {c: i for i, c in enumerate(self.combos)}
        row = self._index.get(combo)
        if row is None or matrix is None or series not in self.series:
            return 0.0
        return float(matrix[row, self.series.index(series)])

    def status(self, combo: str, series: str, direction: str) -> str:
        """``significant``, ``normal`` or ``unknown`` (in between, or not tested).

        An untested series counts as normal after a spike (its volume fell below the
        minimum: the spike is over) but unknown after a drop (too little expected
        traffic to tell whether it came back). A combo absent from every table is unknown.
        A window series not evaluated in this sweep (windows off) is judged by its metric's
        one-minute series.
        """
        if not self._index:
            self._index = {c: i for i, c in enumerate(self.combos)}
        if series not in self.series:
            series = split_series(series)[0]
        row = self._index.get(combo)
        if row is None or series not in self.series:
            return NORMAL if direction == "up" and row is None and series in self.series else UNKNOWN
        col = self.series.index(series)
        if self.significant[row, col]:
            return SIGNIFICANT
        if self.normal[row, col] or (direction == "up" and not self.tested[row, col]):
            return NORMAL
        return UNKNOWN
