"""Minute tables on one combo index (pure): sums over minutes, padding, renumbering."""

from __future__ import annotations

import numpy as np

from bff.monitoring.rollups import minute_matrices
from bff.monitoring.rollups.minute_matrices import MinuteMatrices, pad


def test_minutes_share_one_index_and_sum_by_combo() -> None:
    matrices = MinuteMatrices(width=2)
    matrices.put(1, {"a": [1, 2], "b": [3, 4]})
    matrices.put(2, {"b": [10, 20], "c": [5, 5]})
    assert matrices.names == ["a", "b", "c"] and 1 in matrices and 3 not in matrices
    assert matrices.total([1, 2, 3]).tolist() == [[1, 2], [13, 24], [5, 5]]
    rows, values = matrices.sparse({"d": [7, 7], "a": [1, 1]})
    assert rows.tolist() == [3, 0]
    assert matrices.dense(rows, values).tolist() == [[1, 1], [0, 0], [0, 0], [7, 7]]


def test_sums_built_before_new_combos_are_padded_with_zeros() -> None:
    assert pad(np.ones((2, 3)), 4).tolist() == [[1, 1, 1], [1, 1, 1], [0, 0, 0], [0, 0, 0]]


def test_retain_drops_minutes_and_renumbers_only_when_many_rows_are_dead(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(minute_matrices, "COMPACT_SLACK", 1)
    matrices = MinuteMatrices(width=1)
    matrices.put(1, {"old1": [1], "old2": [1], "kept": [2]})
    matrices.put(2, {"kept": [3], "new": [4]})
    assert matrices.retain([2]) is True
    assert matrices.names == ["kept", "new"] and matrices.index == {"kept": 0, "new": 1}
    assert matrices.total([1, 2]).tolist() == [[3], [4]]
    assert matrices.retain([2]) is False  # nothing dead any more
