"""Scoring alerts against labelled anomaly windows (pure): recall, false alarms, delay, NAB score.

An *alert* is a row index at which a detector raised an alert (a rising edge: a detector
whose condition holds for ten rows in a row raises one alert). ``windows`` are inclusive
row ranges ``(first, last)``. Rows before ``probation`` (NAB: 15% of the rows, at most
750) are not scored: alerts there are ignored and windows ending there are left out.

* ``windows detected``: windows with at least one alert inside;
* ``false alarms``: alerts outside every window, per 1,000 scored rows;
* ``delay``: rows from a detected window's first row to its first alert;
* ``nab_raw``: the Numenta Anomaly Benchmark score of one series under a cost profile
  (standard: true positive 1, false negative 1, false positive 0.11): the first alert of a
  window scores ``tp * S(position) / S(-1)`` with ``S(x) = 2 / (1 + e^(5x)) - 1`` and
  ``x`` running from -1 (window start) to 0 (window end); a missed window ``-fn``; an
  alert outside windows ``fp * S(x)`` with ``x`` its distance past the previous window's
  end in window widths (-``fp`` when no window precedes it). ``nab_normalized`` scales a
  corpus total to 0 (no alerts at all) .. 100 (every window caught at its first row).
  This follows ``nab/sweeper.py`` of NAB (github.com/numenta/NAB) at a fixed threshold.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

STANDARD = {"tp": 1.0, "fp": 0.11, "fn": 1.0}


def probation_rows(rows: int, percent: float = 0.15) -> int:
    """NAB's probationary period: ``min(floor(percent * rows), percent * 5000)`` rows."""
    return int(min(math.floor(percent * rows), percent * 5000))


def rising_edges(flags: Sequence[bool]) -> list[int]:
    """Rows where ``flags`` turns true (the first row of every run of true values)."""
    return [i for i, flag in enumerate(flags) if flag and (i == 0 or not flags[i - 1])]


def scaled_sigmoid(position: float) -> float:
    """NAB's ``S(x) = 2 / (1 + e^(5x)) - 1``; -1 beyond ``x > 3``."""
    return -1.0 if position > 3.0 else 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


@dataclass(frozen=True)
class SeriesScore:
    """The figures of one detector on one series (see the module docstring)."""

    windows: int
    detected: int
    false_alarms: int
    scored_rows: int
    delays: tuple[int, ...]
    nab_raw: float


def score_series(
    alerts: Sequence[int], windows: Sequence[tuple[int, int]], rows: int, profile: dict[str, float] = STANDARD
) -> SeriesScore:
    """Score ``alerts`` (row indices) against ``windows`` on a series of ``rows`` rows."""
    start = probation_rows(rows)
    scored = sorted(w for w in windows if w[1] >= start)
    alerts = sorted(a for a in alerts if start <= a < rows)
    max_tp = scaled_sigmoid(-1.0)
    detected, delays, false_alarms, raw = 0, [], 0, 0.0
    for first, last in scored:
        inside = [a for a in alerts if first <= a <= last]
        if inside:
            detected += 1
            delays.append(inside[0] - first)
            width = last - first + 1
            raw += scaled_sigmoid(-(last - inside[0] + 1) / width) * profile["tp"] / max_tp
        else:
            raw -= profile["fn"]
    for a in alerts:
        if any(first <= a <= last for first, last in scored):
            continue
        false_alarms += 1
        before = [w for w in windows if w[1] < a]
        if not before:
            raw -= profile["fp"]
            continue
        first, last = before[-1]
        width = last - first + 1
        raw += scaled_sigmoid(abs(last - a) / max(width - 1, 1)) * profile["fp"]
    return SeriesScore(len(scored), detected, false_alarms, rows - start, tuple(delays), raw)


def nab_normalized(scores: Sequence[SeriesScore], profile: dict[str, float] = STANDARD) -> float:
    """``100 * (raw - null) / (perfect - null)`` over a corpus; null: no alerts, perfect: all at once."""
    windows = sum(s.windows for s in scores)
    if windows == 0:
        return 0.0
    null, perfect = -profile["fn"] * windows, profile["tp"] * windows
    return 100.0 * (sum(s.nab_raw for s in scores) - null) / (perfect - null)


def window_rows(timestamps: Sequence[str], windows: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """Label windows (``"YYYY-MM-DD HH:MM:SS[.ffffff]"`` bounds) as inclusive row ranges."""
    keys = [t[:19] for t in timestamps]
    out = []
    for begin, end in windows:
        inside = [i for i, key in enumerate(keys) if begin[:19] <= key <= end[:19]]
        if inside:
            out.append((inside[0], inside[-1]))
    return out
