"""The simulator: seeded, cumulative, split as served."""

from __future__ import annotations

import numpy as np

from bff.experiments.simulate import simulate_daily


def test_same_seed_same_counts() -> None:
    first = simulate_daily(np.random.default_rng(3), 4, 5, 100, (0.1, 0.2))
    again = simulate_daily(np.random.default_rng(3), 4, 5, 100, (0.1, 0.2))
    assert (first.exposures == again.exposures).all() and (first.conversions == again.conversions).all()


def test_counts_are_cumulative_per_look() -> None:
    counts = simulate_daily(np.random.default_rng(4), 10, 7, 1_000, (0.05, 0.05, 0.05))
    assert counts.exposures.shape == (10, 7, 3)
    assert (counts.exposures.sum(axis=2) == 1_000 * np.arange(1, 8)).all()
    assert (np.diff(counts.conversions, axis=1) >= 0).all()
    assert (counts.conversions <= counts.exposures).all()


def test_served_weights_shift_the_split() -> None:
    counts = simulate_daily(np.random.default_rng(5), 200, 1, 10_000, (0.05, 0.05), served_weights=(52, 48))
    share = counts.exposures[:, -1, 0].sum() / counts.exposures[:, -1].sum()
    assert abs(share - 0.52) < 0.002
