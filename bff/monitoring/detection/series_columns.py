"""Per-series results of one family of tests, one row per combo (pure).

``evaluation.evaluate`` concatenates the ``Columns`` of every family of tests (counts,
rates, windows, drift) and adjusts their p-values together.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]


@dataclass
class Columns:
    """Per-series results of one family of tests (rows: combos; columns: series).

    ``calm``: the change is under ``resolve_change`` of the materiality threshold, whether
    the series was tested or not (a series back within its expected band).
    """

    observed: Matrix
    expected: Matrix
    p: Matrix
    tested: NDArray[np.bool_]
    material: NDArray[np.bool_]
    calm: NDArray[np.bool_]
    deviation: Matrix
    volume: Matrix
    trials: Matrix
    from_yesterday: NDArray[np.bool_]


def empty_columns(n: int, k: int) -> Columns:
    """``n`` combos x ``k`` series: zeros, p-values of 1, nothing tested."""

    def floats() -> Matrix:
        return np.zeros((n, k))

    def flags() -> NDArray[np.bool_]:
        return np.zeros((n, k), dtype=bool)

    ones = np.ones((n, k))
    return Columns(floats(), floats(), ones, flags(), flags(), flags(), floats(), floats(), floats(), flags())


def scatter_columns(part: Columns, rows: NDArray[np.intp], n: int) -> Columns:
    """``part`` (results of the combos ``rows`` only) as ``n`` rows; the others untested and calm."""
    full = empty_columns(n, part.p.shape[1])
    full.calm[:] = True
    for f in dataclasses.fields(Columns):
        getattr(full, f.name)[rows] = getattr(part, f.name)
    return full


def join_columns(parts: list[Columns]) -> Columns:
    """The series of ``parts`` (same rows) side by side, in order."""
    return Columns(*(np.concatenate([getattr(part, f.name) for part in parts], axis=1)
                     for f in dataclasses.fields(Columns)))  # fmt: skip
