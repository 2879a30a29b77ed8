"""The counts a sweep compares (``Window``), how they are aligned from minute tables
(``build_window``), and which closed minutes a sweep reads (``spans_of``). Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.long_span_tests import LongSpanTests
from bff.monitoring.detection.seasonal_spans import SeasonalSpan
from bff.monitoring.metrics import COUNTERS

Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class Window:
    """Counts (rows: ``combos``; columns: ``metrics.COUNTERS``) of the spans compared.

    ``window_*`` (optional) are the sliding window's sums: the last ``window_minutes``
    minutes up to ``elapsed`` of the current one, the ``window_yesterday_minutes`` minutes
    centred on the same minutes yesterday, and the ``window_minutes`` minutes before the
    window. ``families`` (optional) labels each combo's family for the two-level BH (its
    merchant, or one family for the cross-merchant combos); computed when absent.
    ``recent`` (optional) are the counts of the last ``recent_elapsed`` minutes (about
    ``config.recent_seconds``), even across the minute boundary. ``seasonal`` (optional):
    the count spans compared with several history days (``seasonal_spans``); without them
    counts are compared with ``yesterday`` only and there are no count windows or drift tests.
    ``long_spans`` (optional): the count windows' and drift's results carried from the closing
    sweep of the previous minute (``long_span_tests``); absent, they are tested on ``seasonal``.
    """

    combos: Sequence[str]
    current: Matrix
    previous: Matrix
    yesterday: Matrix
    elapsed: float
    yesterday_minutes: int = 3
    window_current: Matrix | None = None
    window_yesterday: Matrix | None = None
    window_previous: Matrix | None = None
    window_minutes: int = 0
    window_yesterday_minutes: int = 0
    families: NDArray[np.intp] | None = None
    recent: Matrix | None = None
    recent_elapsed: float = 0.0
    seasonal: tuple[SeasonalSpan, ...] = ()
    long_spans: LongSpanTests | None = None


def build_window(
    current: dict[str, list[int]],
    previous: dict[str, list[int]],
    yesterday: Sequence[dict[str, list[int]]],
    elapsed: float,
    *,
    window_current: Sequence[dict[str, list[int]]] = (),
    window_yesterday: Sequence[dict[str, list[int]]] = (),
    window_previous: Sequence[dict[str, list[int]]] = (),
    window_minutes: int = 0,
) -> Window:
    """Align minute tables (combo -> counts) into a ``Window`` over the union of their combos.

    Combos missing from the current minute count as zeros there: a merchant that stopped
    sending anything is exactly what an outage looks like. The ``window_*`` sequences are
    the minute tables the sliding window sums (``window_current`` excludes the current
    minute, which is added to it); with ``window_minutes`` 0 there are no window sums.
    """
    tables = [current, previous, *yesterday, *window_current, *window_yesterday, *window_previous]
    combos = list(dict.fromkeys(c for table in tables for c in table))
    width = len(COUNTERS)
    zero = [0] * width

    def matrix(table: dict[str, list[int]]) -> Matrix:
        return np.array([table.get(c, zero) for c in combos], dtype=np.float64).reshape(len(combos), width)

    def total(group: Sequence[dict[str, list[int]]]) -> Matrix:
        summed = np.zeros((len(combos), width))
        for table in group:
            summed += matrix(table)
        return summed

    now = matrix(current)
    windowed = window_minutes > 1
    return Window(
        combos, now, matrix(previous), total(yesterday), elapsed, max(len(yesterday), 1),
        window_current=total(window_current) + now if windowed else None,
        window_yesterday=total(window_yesterday) if windowed else None,
        window_previous=total(window_previous) if windowed else None,
        window_minutes=window_minutes, window_yesterday_minutes=len(window_yesterday),
    )  # fmt: skip


@dataclass(frozen=True)
class Spans:
    """The closed minutes a sweep of ``minute`` compares it with (see ``spans_of``)."""

    previous: int
    yesterday: range
    window: range
    window_yesterday: range
    window_previous: range

    def minutes(self) -> set[int]:
        return {self.previous, *self.yesterday, *self.window, *self.window_yesterday, *self.window_previous}


DAY_MINUTES = 24 * 60


def spans_of(minute: int, config: DetectionConfig) -> Spans:
    """Which closed minutes the sweep of ``minute`` reads.

    ``yesterday``: the ``yesterday_minutes`` minutes centred on the same minute a day
    earlier. ``window``: the closed minutes of the sliding window (the current minute is
    its last, partly elapsed, minute); ``window_yesterday``: ``yesterday_minutes`` windows
    centred on the window's minutes a day earlier (30 minutes for a 10-minute window: a
    rate baseline three times the window's size has a third of its noise);
    ``window_previous``: the ``window_minutes`` minutes before the window. The window
    ranges are empty when windows are off.
    """
    half = config.yesterday_minutes // 2
    same = minute - DAY_MINUTES
    w = config.window_minutes if config.windowed else 0
    return Spans(
        previous=minute - 1,
        yesterday=range(same - half, same - half + config.yesterday_minutes),
        window=range(minute - w + 1, minute) if w else range(0),
        window_yesterday=range(same - w + 1 - half * w, same + 1 + (config.yesterday_minutes - 1 - half) * w)
        if w
        else range(0),
        window_previous=range(minute - 2 * w + 1, minute - w + 1) if w else range(0),
    )
