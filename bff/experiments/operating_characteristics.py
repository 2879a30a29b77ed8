"""Error rates, coverage and power of the tests, measured on simulated experiments.

Contract: each function draws its experiments from the ``numpy.random.Generator`` it is given
(``simulate.py``), runs the same vectorised statistics the dashboard runs, and returns the
measured fractions. The tests assert them against their nominal levels with binomial
tolerances; ``bench/experiments_simulation.py`` prints them with more simulations for
``docs/experiments.md``. A look that cannot be computed (no conversion yet) never rejects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bff.experiments.fixed_horizon import fixed_interval, fixed_p_value
from bff.experiments.sample_size import exposures_per_variant
from bff.experiments.sequential import DEFAULT_TUNING_EXPOSURES, sequential_interval, sequential_p_value
from bff.experiments.simulate import SimulatedCounts, simulate_daily
from bff.experiments.srm import srm_p_values
from bff.experiments.uplift import FloatArray, Moments, log_ratio_moments


@dataclass(frozen=True)
class PeekingRates:
    """A/A false-positive rates: any look significant (sequential, fixed), or the last look only."""

    sequential_any_look: float
    fixed_any_look: float
    fixed_last_look: float


@dataclass(frozen=True)
class CoverageRates:
    """How often the intervals contain the true relative uplift."""

    fixed_last_look: float
    sequential_every_look: float


@dataclass(frozen=True)
class PowerCheck:
    """Power at a sample size per variant, read once: fixed-horizon and sequential."""

    exposures_per_variant: int
    fixed: float
    sequential: float


def _log_ratio(counts: SimulatedCounts) -> tuple[Moments, FloatArray]:
    x, n = counts.conversions, counts.exposures
    moments = log_ratio_moments(x[..., 0], n[..., 0], x[..., 1], n[..., 1])
    return moments, np.asarray(n[..., 0] + n[..., 1], dtype=np.float64)


def peeking_false_positives(
    rng: np.random.Generator,
    sims: int,
    days: int = 14,
    daily_exposures: int = 2_000,
    rate: float = 0.05,
    alpha: float = 0.05,
    tuning_exposures: float = DEFAULT_TUNING_EXPOSURES,
) -> PeekingRates:
    """A/A experiments read every day: how often is a difference declared?"""
    moments, exposures = _log_ratio(simulate_daily(rng, sims, days, daily_exposures, (rate, rate)))
    fixed = fixed_p_value(moments) < alpha
    sequential = sequential_p_value(moments, exposures, alpha, tuning_exposures) < alpha
    return PeekingRates(
        sequential_any_look=float(sequential.any(axis=1).mean()),
        fixed_any_look=float(fixed.any(axis=1).mean()),
        fixed_last_look=float(fixed[:, -1].mean()),
    )


def _covers(bounds: tuple[FloatArray, FloatArray], truth: float) -> FloatArray:
    low, high = bounds
    return np.asarray((low <= truth) & (truth <= high), dtype=np.float64)


def interval_coverage(
    rng: np.random.Generator,
    sims: int,
    control_rate: float,
    uplift: float,
    days: int = 14,
    daily_exposures: int = 2_000,
    alpha: float = 0.05,
    tuning_exposures: float = DEFAULT_TUNING_EXPOSURES,
) -> CoverageRates:
    """A/B experiments with a known relative ``uplift``: coverage of the log-ratio intervals."""
    rates = (control_rate, control_rate * (1 + uplift))
    moments, exposures = _log_ratio(simulate_daily(rng, sims, days, daily_exposures, rates))
    truth = math.log1p(uplift)
    fixed = _covers(fixed_interval(moments, alpha), truth)
    sequential = _covers(sequential_interval(moments, exposures, alpha, tuning_exposures), truth)
    return CoverageRates(
        fixed_last_look=float(fixed[:, -1].mean()),
        sequential_every_look=float(sequential.all(axis=1).mean()),
    )


def power_at_planned_size(
    rng: np.random.Generator,
    sims: int,
    control_rate: float,
    uplift: float,
    alpha: float = 0.05,
    power: float = 0.80,
    tuning_exposures: float = DEFAULT_TUNING_EXPOSURES,
    size_multiple: float = 1.0,
) -> PowerCheck:
    """Experiments of the formula's size per arm (times ``size_multiple``), read once at the end."""
    n = math.ceil(size_multiple * exposures_per_variant(control_rate, uplift, alpha, power))
    x_c = rng.binomial(n, control_rate, size=sims)
    x_v = rng.binomial(n, control_rate * (1 + uplift), size=sims)
    moments = log_ratio_moments(x_c, n, x_v, n)
    fixed = fixed_p_value(moments) < alpha
    sequential = sequential_p_value(moments, 2 * n, alpha, tuning_exposures) < alpha
    return PowerCheck(exposures_per_variant=n, fixed=float(fixed.mean()), sequential=float(sequential.mean()))


def srm_flag_rate(
    rng: np.random.Generator,
    sims: int,
    exposures: int,
    configured_weights: Sequence[float],
    served_weights: Sequence[float],
    threshold: float,
) -> float:
    """How often the SRM check fires when traffic is served with ``served_weights``."""
    shares = np.asarray(served_weights, dtype=np.float64) / float(sum(served_weights))
    counts = rng.multinomial(exposures, shares, size=sims)
    return float((srm_p_values(counts, configured_weights) < threshold).mean())
