"""One variant against the control: uplift and difference, fixed-horizon and sequential.

Contract: ``compare(control, variant, alpha, tuning_exposures)`` returns a ``Comparison`` of
plain floats. ``estimable`` is False, and every interval and p-value ``None``, until both arms
have exposures and the two together have at least ``MIN_OUTCOMES`` conversions and as many
non-conversions: below that the normal approximation every interval here rests on is not to be
trusted. One arm may have none: a variant that stops converting is tested, and found worse.
Counts are assumed validated (``counts.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bff.experiments.counts import VariantCounts
from bff.experiments.fixed_horizon import fixed_interval, fixed_p_value
from bff.experiments.sequential import DEFAULT_TUNING_EXPOSURES, sequential_interval, sequential_p_value
from bff.experiments.uplift import FloatArray, Moments, difference_moments, log_ratio_moments

MIN_OUTCOMES = 10


@dataclass(frozen=True)
class Interval:
    """A two-sided interval ``[low, high]``."""

    low: float
    high: float


@dataclass(frozen=True)
class Comparison:
    """``variant`` against ``control``. Relative figures are fractions: 0.05 is +5 %."""

    control: str
    variant: str
    estimable: bool
    relative_uplift: float | None = None
    absolute_difference: float | None = None
    relative_fixed: Interval | None = None
    relative_sequential: Interval | None = None
    absolute_fixed: Interval | None = None
    absolute_sequential: Interval | None = None
    p_value_fixed: float | None = None
    p_value_sequential: float | None = None


def _enough(control: VariantCounts, variant: VariantCounts) -> bool:
    exposures = (control.exposures, variant.exposures)
    conversions = control.conversions + variant.conversions
    return min(exposures) > 0 and min(conversions, sum(exposures) - conversions) >= MIN_OUTCOMES


def _interval(bounds: tuple[FloatArray, FloatArray], relative: bool) -> Interval:
    low, high = float(bounds[0]), float(bounds[1])
    return Interval(math.expm1(low), math.expm1(high)) if relative else Interval(low, high)


def compare(
    control: VariantCounts,
    variant: VariantCounts,
    alpha: float = 0.05,
    tuning_exposures: float = DEFAULT_TUNING_EXPOSURES,
) -> Comparison:
    """The uplift of ``variant`` over ``control`` with fixed-horizon and always-valid intervals."""
    if not _enough(control, variant):
        return Comparison(control=control.name, variant=variant.name, estimable=False)
    counts = (control.conversions, control.exposures, variant.conversions, variant.exposures)
    log_ratio: Moments = log_ratio_moments(*counts)
    difference: Moments = difference_moments(*counts)
    exposures = control.exposures + variant.exposures
    return Comparison(
        control=control.name,
        variant=variant.name,
        estimable=True,
        relative_uplift=math.expm1(float(log_ratio.point)),
        absolute_difference=float(difference.point),
        relative_fixed=_interval(fixed_interval(log_ratio, alpha), relative=True),
        relative_sequential=_interval(
            sequential_interval(log_ratio, exposures, alpha, tuning_exposures), relative=True
        ),
        absolute_fixed=_interval(fixed_interval(difference, alpha), relative=False),
        absolute_sequential=_interval(
            sequential_interval(difference, exposures, alpha, tuning_exposures), relative=False
        ),
        p_value_fixed=float(fixed_p_value(log_ratio)),
        p_value_sequential=float(sequential_p_value(log_ratio, exposures, alpha, tuning_exposures)),
    )
