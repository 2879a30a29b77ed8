"""The count spans a sweep compares with several history days: which minutes they read and
their sums (pure).

A ``SeasonalSpan`` holds today's counts of a span (the current minute, the last ``k``
minutes, or the drift test's reference period) and, for every history day
(``config.history_days`` days ago, a day being ``day`` minutes: 1440 in production, one
period of a replayed series in ``bench/``), the *expected-scale* value of the same span
that day: what the span would count today if today were that day. For a span that ends
with the open minute, the aligned minute of a history day counts for ``elapsed`` of
itself, like the open minute; the current minute's history is the mean of the
``yesterday_minutes`` minutes centred on the same minute, each a sample of its own (12
samples from 4 days: their spread is the spread of one minute, level and noise together,
which pooled means would understate).

``plan_spans(minute, config, day)`` says which minutes; ``SpanTotals`` are their sums (closed
minutes only, so the detector computes them once per minute); ``seasonal_span(totals,
current, elapsed)`` adds the open minute on every sweep.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.seasonal import DayMoments, day_moments

Matrix = NDArray[np.float64]
DAY_MINUTES = 24 * 60
CURRENT, DRIFT_RECENT, DRIFT_REFERENCE = "", "drift", "drift_reference"


@dataclass(frozen=True)
class SeasonalSpan:
    """Today's counts of a span and its expected-scale value on every history day.

    ``history``: days x combos x counters; ``present``: days x combos, whether the day can
    be used for the combo (filled in by ``with_presence``); ``pool``: history values are
    means of this many minutes, else 1; ``samples``: the history day (index into
    ``config.history_days``) of each history entry (empty: one entry per day, in order).
    """

    name: str  # "" the current minute, "5m" .. "60m" a count window, "drift"/"drift_reference"
    minutes: int
    current: Matrix
    history: Matrix
    present: NDArray[np.bool_]
    pool: int = 1
    samples: tuple[int, ...] = ()
    moments: DayMoments | None = None


@dataclass(frozen=True)
class SpanPlan:
    """The minutes of one span: today's closed ones and, per history day, the closed and the
    open-aligned ones (the latter count for ``elapsed`` of themselves)."""

    name: str
    minutes: int
    today: range
    with_open: bool
    days_closed: tuple[range, ...]
    days_open: tuple[range, ...]
    pool: int = 1
    samples: tuple[int, ...] = ()  # the history day of each entry (empty: one per day)

    def all_minutes(self) -> set[int]:
        return {*self.today, *(m for r in self.days_closed + self.days_open for m in r)}

    def day_minutes(self, day: int) -> set[int]:
        """The minutes the history day ``day`` (an index into ``config.history_days``) reads."""
        samples = self.samples or tuple(range(len(self.days_closed)))
        pairs = zip(samples, self.days_closed, self.days_open, strict=True)
        return {m for j, closed, aligned in pairs if j == day for m in (*closed, *aligned)}


def plan_spans(minute: int, config: DetectionConfig, day: int = DAY_MINUTES) -> tuple[SpanPlan, ...]:
    """The seasonal spans of a sweep of ``minute`` (none without ``config.history_days``)."""
    days = [minute - d * day for d in config.history_days]
    if not days:
        return ()
    half = config.yesterday_minutes // 2
    pool = config.yesterday_minutes
    nothing = tuple(range(0) for _ in days)
    aligned = tuple(range(s, s + 1) for s in days)

    def ending_now(name: str, k: int) -> SpanPlan:
        """The last ``k`` minutes, the open one included, and the same minutes on every day."""
        return SpanPlan(
            name, k, range(minute - k + 1, minute), True, tuple(range(s - k + 1, s) for s in days), aligned
        )

    minutes = tuple(range(m, m + 1) for s in days for m in range(s - half, s - half + pool))
    samples = tuple(j for j in range(len(days)) for _ in range(pool))
    current = SpanPlan(CURRENT, 1, range(0), True, tuple(range(0) for _ in minutes), minutes, 1, samples)
    plans = [current, *(ending_now(f"{k}m", k) for k in config.count_windows)]
    recent, reference = config.drift_minutes
    if recent > 0 and reference > 0:
        plans.append(ending_now(DRIFT_RECENT, recent))
        end = minute - recent + 1
        before = tuple(range(s - recent + 1 - reference, s - recent + 1) for s in days)
        plans.append(
            SpanPlan(DRIFT_REFERENCE, reference, range(end - reference, end), False, before, nothing)
        )
    return tuple(plans)


@dataclass(frozen=True)
class SpanTotals:
    """The closed-minute sums of one ``SpanPlan`` (today's and every history day's).

    ``unit_moments``: for a span whose history days count only the open-aligned minutes (the
    current minute), the ``day_moments`` of its history at a whole minute (``elapsed`` 1):
    the history at ``elapsed`` is that times ``elapsed`` (``DayMoments.scaled``).
    """

    plan: SpanPlan
    today: Matrix
    days_closed: tuple[Matrix, ...]
    days_open: tuple[Matrix, ...]
    unit_moments: DayMoments | None = None


def span_totals(plan: SpanPlan, total: Callable[[Iterable[int]], Matrix]) -> SpanTotals:
    """Sum the closed minutes of ``plan`` with ``total`` (minutes -> combos x counters)."""
    totals = SpanTotals(plan, total(plan.today), tuple(total(r) for r in plan.days_closed),
                        tuple(total(r) for r in plan.days_open))  # fmt: skip
    if not plan.with_open or not totals.days_open or any(len(r) for r in plan.days_closed):
        return totals
    unit = _history(totals, 1.0, totals.days_open[0].shape[0])
    return dataclasses.replace(totals, unit_moments=day_moments(unit, unit.sum(axis=2) > 0))


def seasonal_span(
    totals: SpanTotals, current: Matrix, elapsed: float, size: int | None = None
) -> SeasonalSpan:
    """The span with the open minute's counts ``current`` (``elapsed`` of a minute) added.

    Matrices with fewer rows than ``size`` (combos new since they were summed) are padded
    with zeros. ``present`` is all true here; ``with_presence`` narrows it.
    """
    rows = current.shape[0] if size is None else size
    plan = totals.plan
    today = _pad(totals.today, rows) + (current if plan.with_open else 0.0)
    history = _history(totals, elapsed, rows) if totals.days_closed else np.zeros((0, rows, current.shape[1]))
    unit = totals.unit_moments
    moments = unit.padded(rows).scaled(elapsed) if unit is not None and elapsed > 0 else None
    return SeasonalSpan(
        plan.name,
        plan.minutes,
        today,
        history,
        np.ones(history.shape[:2], dtype=bool),
        plan.pool,
        plan.samples,
        moments,
    )


def _history(totals: SpanTotals, elapsed: float, rows: int) -> Matrix:
    """Days x combos x counters: every history day's value of the span at ``elapsed``."""
    return np.stack([
        (_pad(closed, rows) + elapsed * _pad(aligned, rows)) / totals.plan.pool
        for closed, aligned in zip(totals.days_closed, totals.days_open, strict=True)
    ])  # fmt: skip


def subset(span: SeasonalSpan, rows: NDArray[np.intp]) -> SeasonalSpan:
    """The span of the combos ``rows`` only."""
    history, present = span.history[:, rows], span.present[:, rows]
    current = span.current[rows]
    moments = span.moments.rows(rows) if span.moments is not None else None
    return SeasonalSpan(span.name, span.minutes, current, history, present, span.pool, span.samples, moments)


def with_presence(
    spans: Iterable[SeasonalSpan], days_known: NDArray[np.bool_] | None = None
) -> tuple[SeasonalSpan, ...]:
    """Mark a history day present for a combo in a span when the day is known (``days_known``,
    per day, or per day and combo: the caller had data then; default all) and the combo
    counted anything in the span that day (a combo that did not exist yet, or not at that
    time, has no baseline there). A span's ``moments`` (taken with the second rule:
    ``span_totals``) are kept unless ``days_known`` narrows it."""
    out = []
    for s in spans:
        present = s.history.sum(axis=2) > 0
        moments = s.moments
        if days_known is not None:
            known = days_known[list(s.samples)] if s.samples else days_known
            present &= known if known.ndim == 2 else known[:, None]
            moments = None
        out.append(SeasonalSpan(s.name, s.minutes, s.current, s.history, present, s.pool, s.samples, moments))
    return tuple(out)


def _pad(matrix: Matrix, rows: int) -> Matrix:
    if matrix.shape[0] >= rows:
        return matrix[:rows] if matrix.shape[0] > rows else matrix
    return np.vstack([matrix, np.zeros((rows - matrix.shape[0], matrix.shape[1]))])


class RangeSums:
    """Sums of minute ranges that slide by one minute from one call to the next (pure).

    ``add(out, minute, sign)`` adds ``sign`` times a minute's counts into ``out`` (rows of
    ``out`` beyond the minute's are combos new since). ``total(minutes)`` returns the sum of
    a range; a range that is last minute's one shifted by one minute costs two additions
    instead of one per minute. ``advance()`` starts a new minute (the sums of the previous
    one are kept for one more minute); ``reset()`` forgets them (rows were renumbered).
    """

    def __init__(self, add: Callable[[Matrix, int, float], None], width: int) -> None:
        self.add = add
        self.width = width
        self._last: dict[tuple[int, int], Matrix] = {}
        self._now: dict[tuple[int, int], Matrix] = {}

    def advance(self) -> None:
        self._last, self._now = self._now, {}

    def reset(self) -> None:
        self._last, self._now = {}, {}

    def total(self, minutes: Iterable[int], rows: int) -> Matrix:
        """The sum of ``minutes`` (a range) over ``rows`` rows (a copy the caller may keep)."""
        r = minutes if isinstance(minutes, range) else range(0)
        if not isinstance(minutes, range):
            out = np.zeros((rows, self.width))
            for minute in minutes:
                self.add(out, minute, 1.0)
            return out
        key = (r.start, r.stop)
        if key in self._now:
            return _pad(self._now[key], rows).copy()
        before = self._last.get((r.start - 1, r.stop - 1))
        if before is not None and len(r) > 2:
            out = _pad(before, rows).copy()
            self.add(out, r.stop - 1, 1.0)
            self.add(out, r.start - 1, -1.0)
        else:
            out = np.zeros((rows, self.width))
            for minute in r:
                self.add(out, minute, 1.0)
        self._now[key] = out
        return out.copy()
