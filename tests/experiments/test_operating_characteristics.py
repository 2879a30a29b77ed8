"""The simulator checks: false positives under daily peeking, coverage, power, SRM calibration.

Each check compares a measured fraction with its nominal level, within three binomial standard
deviations of the number of simulations. Seeds are fixed, so a failure is a change in the
statistics, not bad luck. The seeds were not picked to pass: over 60 other seeds, one set of
these checks failed one two-sided bound once (power 0.827 against 0.80 +/- 0.027), about the
1 % that six two-sided 3-sd bounds allow.
"""

from __future__ import annotations

import math

import numpy as np

from bff.experiments.operating_characteristics import (
    interval_coverage,
    peeking_false_positives,
    power_at_planned_size,
    srm_flag_rate,
)

ALPHA = 0.05


def tolerance(rate: float, sims: int) -> float:
    """Three binomial standard deviations of a rate measured over ``sims`` simulations."""
    return 3 * math.sqrt(rate * (1 - rate) / sims)


def test_sequential_test_holds_alpha_when_read_every_day_and_naive_peeking_does_not() -> None:
    sims = 500
    rates = peeking_false_positives(np.random.default_rng(15), sims, days=14, daily_exposures=2_000)
    assert rates.sequential_any_look <= ALPHA + tolerance(ALPHA, sims)
    # The simulator can see the peeking problem: reading the fixed-horizon test at the same 14
    # looks declares a difference far more often than alpha, while reading it once does not.
    assert rates.fixed_any_look > ALPHA + tolerance(ALPHA, sims)
    assert abs(rates.fixed_last_look - ALPHA) <= tolerance(ALPHA, sims)


def test_intervals_cover_a_known_uplift() -> None:
    sims = 1_000
    coverage = interval_coverage(np.random.default_rng(16), sims, control_rate=0.05, uplift=0.10)
    assert abs(coverage.fixed_last_look - (1 - ALPHA)) <= tolerance(1 - ALPHA, sims)
    assert coverage.sequential_every_look >= (1 - ALPHA) - tolerance(1 - ALPHA, sims)


def test_intervals_cover_a_drop_at_a_low_rate() -> None:
    sims = 1_000
    coverage = interval_coverage(
        np.random.default_rng(17), sims, control_rate=0.02, uplift=-0.15, daily_exposures=3_000
    )
    assert abs(coverage.fixed_last_look - (1 - ALPHA)) <= tolerance(1 - ALPHA, sims)
    assert coverage.sequential_every_look >= (1 - ALPHA) - tolerance(1 - ALPHA, sims)


def test_power_at_the_formula_sample_size_is_the_planned_power() -> None:
    sims = 2_000
    check = power_at_planned_size(np.random.default_rng(18), sims, control_rate=0.05, uplift=0.10)
    assert check.exposures_per_variant == 31_234
    assert abs(check.fixed - 0.80) <= tolerance(0.80, sims)
    # Read once at that size, the always-valid test pays for its freedom with power.
    assert check.sequential < check.fixed


def test_srm_fires_on_a_52_48_split_at_large_n() -> None:
    rate = srm_flag_rate(np.random.default_rng(19), 1_000, 50_000, [50, 50], [52, 48], 0.001)
    assert rate >= 0.99


def test_srm_fires_about_once_in_a_thousand_fair_splits() -> None:
    sims = 200_000
    rate = srm_flag_rate(np.random.default_rng(20), sims, 20_000, [1, 1, 2], [1, 1, 2], 0.001)
    assert abs(rate - 0.001) <= tolerance(0.001, sims)
