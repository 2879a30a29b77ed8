"""Minute tables aligned on one combo index, so window sums are numpy additions (pure).

The detector compares the open minute with about thirty closed ones (the previous minute,
yesterday's, the sliding windows of today and yesterday: ``evaluation.spans_of``). Aligning
thirty dict tables of 100k combos on every sweep would cost seconds; instead each closed
minute is converted once into ``(rows, values)`` on a shared, growing combo index, and
the sums a sweep needs are dense numpy matrices computed once per minute. Only the open
minute is converted on every sweep.

``retain(minutes)`` drops the minutes no longer needed and, when most rows of the index
have no count in any kept minute, renumbers it (rows are not stable across a ``retain``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from bff.monitoring.metrics import COUNTERS

Matrix = NDArray[np.float64]
Rows = NDArray[np.intp]
Stored = tuple[NDArray[np.int32], NDArray[np.float32]]  # a closed minute: rows, counts
COMPACT_SLACK = 1000  # rows of dead combos tolerated before renumbering


class MinuteMatrices:
    """Per-minute counts on a shared combo index (see the module docstring)."""

    def __init__(self, width: int = len(COUNTERS)) -> None:
        self.width = width
        self.index: dict[str, int] = {}
        self.names: list[str] = []
        self._minutes: dict[int, Stored] = {}

    def __contains__(self, minute: object) -> bool:
        return minute in self._minutes

    def __len__(self) -> int:
        return len(self.names)

    def sparse(self, table: Mapping[str, Sequence[int]]) -> tuple[Rows, Matrix]:
        """``table`` (combo -> counts) as index rows and a value matrix; new combos get rows."""
        index, names = self.index, self.names
        rows = np.empty(len(table), dtype=np.intp)
        for i, combo in enumerate(table):
            row = index.get(combo)
            if row is None:
                row = index[combo] = len(names)
                names.append(combo)
            rows[i] = row
        values = np.array(list(table.values()), dtype=np.float64).reshape(len(table), self.width)
        return rows, values

    def put(self, minute: int, table: Mapping[str, Sequence[int]]) -> None:
        """Store a closed minute: rows as int32 and counts as float32, 40 bytes a combo with 9
        counters instead of 80 (the detector keeps about 390 minutes); counts are exact below
        2**24 a minute, and sums are taken in float64."""
        rows, values = self.sparse(table)
        self._minutes[minute] = (rows.astype(np.int32), values.astype(np.float32))

    def dense(self, rows: Rows, values: Matrix, size: int | None = None) -> Matrix:
        """``(rows, values)`` as a matrix over the first ``size`` rows of the index (default: all)."""
        out = np.zeros((len(self.names) if size is None else size, self.width))
        out[rows] = values
        return out

    def total(self, minutes: Iterable[int], size: int | None = None) -> Matrix:
        """Sum of the stored minutes among ``minutes`` (missing ones count as zeros)."""
        out = np.zeros((len(self.names) if size is None else size, self.width))
        for minute in minutes:
            stored = self._minutes.get(minute)
            if stored is not None:
                out[stored[0]] += stored[1]
        return out

    def add_into(self, out: Matrix, minute: int, sign: float = 1.0) -> None:
        """Add ``sign`` times a stored minute into ``out`` (nothing when it is not stored)."""
        stored = self._minutes.get(minute)
        if stored is not None:
            out[stored[0]] += sign * stored[1]

    def retain(self, minutes: Iterable[int]) -> bool:
        """Keep only ``minutes``; return True when the index was renumbered."""
        keep = set(minutes)
        for minute in [m for m in self._minutes if m not in keep]:
            del self._minutes[minute]
        live = np.zeros(len(self.names), dtype=bool)
        for rows, _ in self._minutes.values():
            live[rows] = True
        if len(self.names) - int(live.sum()) <= COMPACT_SLACK:
            return False
        remap = np.cumsum(live) - 1
        self.names = [name for name, alive in zip(self.names, live, strict=True) if alive]
        self.index = {name: i for i, name in enumerate(self.names)}
        self._minutes = {
            m: (remap[rows].astype(np.int32), values) for m, (rows, values) in self._minutes.items()
        }
        return True


def pad(matrix: Matrix, size: int) -> Matrix:
    """``matrix`` with zero rows appended up to ``size`` rows (combos new since it was built)."""
    if matrix.shape[0] >= size:
        return matrix
    return np.vstack([matrix, np.zeros((size - matrix.shape[0], matrix.shape[1]))])
