"""Seasonal baselines (pure): robust centre over history days, fitted and shrunk dispersion."""

from __future__ import annotations

import numpy as np
import pytest

from bff.monitoring.detection.seasonal import (
    family_pooled,
    fit_baseline,
    group_median,
    moment_dispersion,
    robust_centre,
)


def days(*values: float) -> np.ndarray:
    """History of one combo and one counter: days x 1 x 1."""
    return np.array(values, dtype=float)[:, None, None]


@pytest.mark.parametrize(
    ("values", "present", "centre"),
    [
        ((10, 12, 8, 100), (1, 1, 1, 1), 11.0),  # one holiday spike does not move the median
        ((10, 12, 8, 100), (1, 1, 1, 0), 10.0),  # an absent day is left out
        ((10, 30), (1, 1), 20.0),  # two days: their mean
        ((7,), (1,), 7.0),
        ((7, 9), (0, 0), 0.0),  # no history at all
    ],
)
def test_robust_centre_is_the_median_of_the_present_days(
    values: tuple[float, ...], present: tuple[int, ...], centre: float
) -> None:
    mask = np.array(present, dtype=bool)[:, None]
    assert robust_centre(days(*values), mask)[0, 0] == centre


def test_robust_centre_matches_numpy_on_random_masks() -> None:
    rng = np.random.default_rng(5)
    history, present = rng.random((4, 200, 3)), rng.random((4, 200)) > 0.3
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):  # combos without any day
        expected = np.nan_to_num(np.nanmedian(np.where(present[:, :, None], history, np.nan), axis=0))
    assert np.allclose(robust_centre(history, present), expected)


def test_moment_dispersion_recovers_the_spread_beyond_poisson() -> None:
    rng = np.random.default_rng(1)
    level = rng.normal(1.0, 0.3, size=(7, 2000))  # 30% day-to-day variation: d ~ 0.09
    history = rng.poisson(1000 * np.maximum(level, 0.05))[:, :, None].astype(float)
    d = moment_dispersion(history, np.ones((7, 2000), dtype=bool))
    assert 0.06 < float(np.median(d)) < 0.12
    steady = rng.poisson(1000, size=(7, 2000, 1)).astype(float)  # Poisson only: d ~ 0
    assert float(np.median(moment_dispersion(steady, np.ones((7, 2000), dtype=bool)))) < 0.002


def test_moment_dispersion_needs_two_days_and_an_outlier_day_widens_it() -> None:
    one = np.ones((1, 1), dtype=bool)
    assert moment_dispersion(days(100), one)[0, 0] == 0.0
    four = np.ones((4, 1), dtype=bool)
    assert moment_dispersion(days(100, 100, 100, 100), four)[0, 0] == 0.0
    # the sample variance, not only the MAD: real series are heavy-tailed (seasonal.spread_variance)
    assert moment_dispersion(days(100, 104, 96, 1000), four)[0, 0] > 10


def test_group_median_per_group_and_nan_for_empty_groups() -> None:
    out = group_median(np.array([3.0, 1.0, 2.0, 5.0, 4.0]), np.array([0, 0, 0, 2, 2]), 3)
    assert out[0] == 2.0 and np.isnan(out[1]) and out[2] == 4.5


def test_family_pooled_uses_informative_combos_of_the_family_or_the_prior() -> None:
    dispersion = np.array([[0.1], [0.3], [0.5], [9.0]])
    history_days = np.array([3, 3, 4, 1])
    mean = np.array([[10.0], [10.0], [1.0], [10.0]])  # the third is too small to inform
    pooled = family_pooled(dispersion, history_days, mean, np.array([7, 7, 7, 8]), prior=0.02)
    assert pooled[:, 0].tolist() == [0.2, 0.2, 0.2, 0.02]


def test_fit_baseline_shrinks_towards_the_pool_with_little_history() -> None:
    rng = np.random.default_rng(2)
    noisy = rng.poisson(500 * rng.normal(1, 0.3, size=(4, 50)).clip(0.1))[:, :, None].astype(float)
    history = np.concatenate([noisy, np.zeros((4, 1, 1))], axis=1)
    history[0, 50, 0] = 500.0  # a new combo: one day of history
    present = history[:, :, 0] > 0
    centre, dispersion, n = fit_baseline(history, present, np.zeros(51, dtype=np.intp), 0.02, 2.0, 1.0)
    assert n[50] == 1 and centre[50, 0] == 500.0
    # one day: all prior weight, i.e. the family's pooled dispersion (noisy combos: ~0.09), not 0.02
    assert dispersion[50, 0] == pytest.approx(float(np.median(moment_dispersion(noisy, present[:, :50]))))
    assert dispersion[50, 0] > 0.03
