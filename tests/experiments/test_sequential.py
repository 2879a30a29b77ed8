"""The normal-mixture confidence sequence: its p-value agrees with its interval, and it is wider."""

from __future__ import annotations

import numpy as np
import pytest

from bff.experiments.fixed_horizon import fixed_interval
from bff.experiments.sequential import mixture_rho, sequential_interval, sequential_p_value
from bff.experiments.uplift import Moments


def random_moments(seed: int, size: int) -> tuple[Moments, np.ndarray]:
    rng = np.random.default_rng(seed)
    se = rng.uniform(0.01, 0.2, size)
    return Moments(point=rng.normal(0, 3, size) * se, se=se), rng.integers(100, 200_000, size)


def test_p_value_below_alpha_exactly_when_interval_excludes_zero() -> None:
    moments, exposures = random_moments(1, 20_000)
    for alpha in (0.01, 0.05, 0.2):
        low, high = sequential_interval(moments, exposures, alpha)
        p = sequential_p_value(moments, exposures, alpha)
        excludes = (low > 0) | (high < 0)
        assert ((p < alpha) == excludes).mean() > 0.9999  # ties at the boundary only
        assert ((p >= 0) & (p <= 1)).all()


def test_sequence_is_wider_than_the_fixed_interval_and_tightest_near_the_tuning_size() -> None:
    moments = Moments(point=np.zeros(3), se=np.full(3, 0.05))
    fixed_low, _ = fixed_interval(moments)
    low, _ = sequential_interval(moments, np.array([5_000, 20_000, 80_000]), tuning_exposures=20_000)
    ratio = low / fixed_low
    assert (ratio > 1).all()
    assert ratio[1] < ratio[0] and ratio[1] < ratio[2]


def test_rho_follows_howard_et_al() -> None:
    # eq. 161: rho^2 = (-2 log alpha + log(-2 log alpha + 1)) / tuning.
    log_term = -2 * np.log(0.05)
    assert mixture_rho(0.05, 5_000) ** 2 * 5_000 == pytest.approx(log_term + np.log(log_term + 1))


def test_undefined_moments_never_reject_and_raise_no_warning() -> None:
    moments = Moments(point=np.array([np.nan, 0.0]), se=np.array([np.nan, 0.0]))
    p = sequential_p_value(moments, np.array([0, 10]))
    assert not (p < 0.05).any()
