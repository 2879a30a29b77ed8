"""One detection sweep over every series of a minute (pure, vectorized).

A *series* is a combo and a metric: a counter (a count test) or a rate (a proportion
test). ``evaluate(window, config)`` compares the current minute, possibly still open
(``elapsed`` is the fraction of it that the data covers), with two baselines:

* **the same minute yesterday** (the ``yesterday_minutes`` minutes around it, pooled, to
  halve the baseline's own noise), when the combo had any traffic then: counts use a
  negative binomial with mean ``yesterday / minutes * elapsed`` and dispersion
  ``config.dispersion + 1 / (yesterday + 1)`` (day-to-day variation plus the baseline's
  Poisson noise); rates use the pooled two-proportion test;
* **the previous minute** otherwise (a combo new since yesterday): counts use the exact
  conditional Poisson test of the two rates, rates the two-proportion test.

Both baselines are always computed and reported; yesterday's decides when it exists,
because a minute-to-minute comparison misses a slow decline and raises a false "spike"
the minute after an outage ends.

A series is *tested* only with enough volume (``min_volume`` events observed or expected;
``min_trials`` in both samples of a rate, and at least 5 expected successes and
failures on both sides, for the normal approximation). The two-sided p-values of every tested series
of the sweep are adjusted together (Benjamini-Hochberg). A finding is a tested series with
``q <= fdr`` and a material change (``min_relative_change`` for counts, ``min_rate_change``
absolute for rates). A series is *normal* (for resolving alerts) when tested and either
``p > resolve_p`` or the change is immaterial.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from bff.monitoring import statistics as st
from bff.monitoring.metrics import COUNTER_INDEX, COUNTERS, RATES

TESTED_COUNTERS = (
    "impression",
    "click",
    "session",
    "authorization",
    "authorization_failure",
    "order_created",
)
METRICS = TESTED_COUNTERS + tuple(RATES)
SIGNIFICANT, NORMAL, UNKNOWN = "significant", "normal", "unknown"


@dataclass(frozen=True)
class DetectionConfig:
    """Thresholds of the detector (see the module docstring); defaults tuned by ``bench/``."""

    min_volume: float = 20.0
    min_trials: int = 40
    min_relative_change: float = 0.3
    min_rate_change: float = 0.08
    dispersion: float = 0.02
    fdr: float = 0.001
    resolve_p: float = 0.05
    yesterday_minutes: int = 3
    raise_after: int = 2
    resolve_after: int = 3
    explain_share: float = 0.8
    explain_margin: float = 0.15
    max_explaining_children: int = 2


@dataclass(frozen=True)
class Window:
    """Counts (rows: ``combos``; columns: ``metrics.COUNTERS``) of the minutes compared."""

    combos: Sequence[str]
    current: NDArray[np.float64]
    previous: NDArray[np.float64]
    yesterday: NDArray[np.float64]
    elapsed: float
    yesterday_minutes: int = 3


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


@dataclass
class Evaluation:
    """The findings of a sweep, and the status of any series on request."""

    findings: list[Finding]
    combos: Sequence[str]
    tested: NDArray[np.bool_]
    significant: NDArray[np.bool_]
    normal: NDArray[np.bool_]
    tests: int
    _index: dict[str, int] = field(default_factory=dict)

    def status(self, combo: str, metric: str, direction: str) -> str:
        """``significant``, ``normal`` or ``unknown`` (in between, or not tested).

        An untested series counts as normal after a spike (its volume fell below the
        minimum: the spike is over) but unknown after a drop (too little expected
        traffic to tell whether it came back). A combo absent from every table is unknown.
        """
        if not self._index:
            self._index = {c: i for i, c in enumerate(self.combos)}
        row = self._index.get(combo)
        if row is None or metric not in METRICS:
            return NORMAL if direction == "up" and row is None and metric in METRICS else UNKNOWN
        col = METRICS.index(metric)
        if self.significant[row, col]:
            return SIGNIFICANT
        if self.normal[row, col] or (direction == "up" and not self.tested[row, col]):
            return NORMAL
        return UNKNOWN


def evaluate(window: Window, config: DetectionConfig) -> Evaluation:
    """Test every series of ``window``; see the module docstring for the rules."""
    n = len(window.combos)
    f = min(max(window.elapsed, 1e-6), 1.0)
    cur, prev, yday = window.current, window.previous, window.yesterday
    has_yday = yday.sum(axis=1) > 0 if n else np.zeros(0, dtype=bool)
    shape = (n, len(METRICS))
    observed, expected, p, deviation, volume = (np.zeros(shape) for _ in range(5))
    tested = np.zeros(shape, dtype=bool)
    material = np.zeros(shape, dtype=bool)
    for col, name in enumerate(TESTED_COUNTERS):
        c = COUNTER_INDEX[name]
        x, y, before = cur[:, c], yday[:, c], prev[:, c]
        mu_y = y / window.yesterday_minutes * f
        low_y, high_y = st.negative_binomial_tails(x, mu_y, config.dispersion + 1.0 / (y + 1.0))
        low_p, high_p = st.poisson_rate_tails(x, f, before, 1.0)
        mu = np.where(has_yday, mu_y, before * f)
        observed[:, col], expected[:, col] = x, mu
        p[:, col] = np.where(has_yday, st.two_sided(low_y, high_y), st.two_sided(low_p, high_p))
        tested[:, col] = np.maximum(x, mu) >= config.min_volume
        material[:, col] = np.abs(x - mu) >= config.min_relative_change * np.maximum(mu, 1.0)
        deviation[:, col], volume[:, col] = x - mu, mu
    for offset, (num, den) in enumerate(RATES.values()):
        col = len(TESTED_COUNTERS) + offset
        i, j = COUNTER_INDEX[num], COUNTER_INDEX[den]
        trials = cur[:, j]
        successes = np.minimum(cur[:, i], trials)
        use_y = has_yday & (yday[:, j] >= config.min_trials)
        base_n = np.where(use_y, yday[:, j], prev[:, j])
        base_s = np.minimum(np.where(use_y, yday[:, i], prev[:, i]), base_n)
        low, high = st.two_proportion_tails(successes, trials, base_s, base_n)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(trials > 0, successes / trials, 0.0)
            base_rate = np.where(base_n > 0, base_s / base_n, 0.0)
        observed[:, col], expected[:, col], p[:, col] = rate, base_rate, st.two_sided(low, high)
        # the normal approximation needs >= 5 expected successes and failures on both sides
        valid = (np.minimum(base_s, base_n - base_s) >= 5) & (
            np.minimum(trials * base_rate, trials * (1 - base_rate)) >= 5
        )
        tested[:, col] = (trials >= config.min_trials) & (base_n >= config.min_trials) & valid
        material[:, col] = np.abs(rate - base_rate) >= config.min_rate_change
        # volume of a rate = the baseline's trials per minute: comparable across combos and
        # not inflated by the anomaly itself (a spike of failed authorizations adds trials)
        per_minute = np.where(use_y, base_n / window.yesterday_minutes, base_n)
        deviation[:, col], volume[:, col] = successes - trials * base_rate, per_minute
    q = np.ones(shape)
    q[tested] = st.benjamini_hochberg(p[tested])
    significant = tested & material & (q <= config.fdr)
    normal = tested & ((p > config.resolve_p) | ~material)
    findings = []
    for row, col in zip(*np.nonzero(significant), strict=True):
        findings.append(
            Finding(
                combo=window.combos[row],
                metric=METRICS[col],
                direction="down" if observed[row, col] < expected[row, col] else "up",
                observed=float(observed[row, col]),
                expected=float(expected[row, col]),
                p_value=float(p[row, col]),
                q_value=float(q[row, col]),
                baseline="yesterday" if has_yday[row] else "previous minute",
                deviation=float(deviation[row, col]),
                volume=float(volume[row, col]),
            )
        )
    return Evaluation(findings, window.combos, tested, significant, normal, int(tested.sum()))


def build_window(
    current: dict[str, list[int]],
    previous: dict[str, list[int]],
    yesterday: Sequence[dict[str, list[int]]],
    elapsed: float,
) -> Window:
    """Align minute tables (combo -> counts) into a ``Window`` over the union of their combos.

    Combos missing from the current minute count as zeros there: a merchant that stopped
    sending anything is exactly what an outage looks like.
    """
    combos = list(dict.fromkeys([*current, *previous, *(c for table in yesterday for c in table)]))
    width = len(COUNTERS)
    zero = [0] * width

    def matrix(table: dict[str, list[int]]) -> NDArray[np.float64]:
        return np.array([table.get(c, zero) for c in combos], dtype=np.float64).reshape(len(combos), width)

    yday = np.zeros((len(combos), width))
    for table in yesterday:
        yday += matrix(table)
    return Window(combos, matrix(current), matrix(previous), yday, elapsed, max(len(yesterday), 1))
