"""The inputs of an experiment: one ``VariantCounts`` per variant, validated before any arithmetic.

Contract: ``validate_experiment(variants, weights, control)`` returns the control's index or
raises ``ValueError`` with a message naming the variant and the field. Nothing downstream
divides, takes a logarithm or a square root before this has passed, so a bad input never
surfaces as a numpy warning or a ``nan`` in a sentence.

An exposure is one unit of assignment that was shown the message (a visit, or an impression
when the campaign counts those); a conversion is an exposure that ordered, so
``0 <= conversions <= exposures``. Revenue, when given, is over the converted exposures:
``revenue_sum`` and ``revenue_sum_squares`` of the order value per conversion.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

# Sums of squares are accumulated in floating point; allow this much relative rounding
# before calling them inconsistent with the sum.
_SUM_SQUARES_SLACK = 1e-9


@dataclass(frozen=True)
class VariantCounts:
    """Cumulative counts of one variant since the experiment started."""

    name: str
    exposures: int
    conversions: int
    revenue_sum: float | None = None
    revenue_sum_squares: float | None = None


def _whole_count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{where} must be a whole number, got {value!r}")
    if int(value) < 0:
        raise ValueError(f"{where} must not be negative, got {int(value)}")
    return int(value)


def _finite(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise ValueError(f"{where} must be a finite number, got {value!r}")
    return float(value)


def _check_revenue(variant: VariantCounts, where: str) -> None:
    if (variant.revenue_sum is None) != (variant.revenue_sum_squares is None):
        raise ValueError(f"{where}: give revenue_sum and revenue_sum_squares together, or neither")
    if variant.revenue_sum is None:
        return
    total = _finite(variant.revenue_sum, f"{where}.revenue_sum")
    squares = _finite(variant.revenue_sum_squares, f"{where}.revenue_sum_squares")
    if squares < 0:
        raise ValueError(f"{where}.revenue_sum_squares must not be negative, got {squares}")
    if variant.conversions == 0 and (total != 0 or squares != 0):
        raise ValueError(f"{where} has revenue but no conversions")
    # Cauchy-Schwarz: sum(v)^2 <= k * sum(v^2) for any k order values.
    if variant.conversions and total * total > variant.conversions * squares * (1 + _SUM_SQUARES_SLACK):
        raise ValueError(f"{where}: revenue_sum_squares is too small for revenue_sum over its conversions")


def check_variant(variant: VariantCounts) -> None:
    """Raise ``ValueError`` unless ``variant`` holds counts that can describe real traffic."""
    where = f"variant {variant.name!r}"
    if not isinstance(variant.name, str) or not variant.name:
        raise ValueError(f"{where}: the name must be a non-empty string")
    exposures = _whole_count(variant.exposures, f"{where}.exposures")
    conversions = _whole_count(variant.conversions, f"{where}.conversions")
    if conversions > exposures:
        raise ValueError(f"{where} has more conversions ({conversions}) than exposures ({exposures})")
    _check_revenue(variant, where)


def validate_experiment(variants: Sequence[VariantCounts], weights: Sequence[float], control: str) -> int:
    """The index of ``control`` in ``variants``, after checking every variant and weight."""
    if not variants:
        raise ValueError("an experiment needs at least one variant")
    for variant in variants:
        check_variant(variant)
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise ValueError(f"variant names must be unique, got {names}")
    if len(weights) != len(variants):
        raise ValueError(f"expected one weight per variant ({len(variants)}), got {len(weights)}")
    for name, weight in zip(names, weights, strict=True):
        if _finite(weight, f"weight of {name!r}") <= 0:
            raise ValueError(f"weight of {name!r} must be positive, got {weight}")
    if control not in names:
        raise ValueError(f"control {control!r} is not one of the variants {names}")
    return names.index(control)


def check_level(value: float, where: str) -> float:
    """``value`` as a float strictly between 0 and 1 (alpha, power, a rate), else ``ValueError``."""
    level = _finite(value, where)
    if not 0 < level < 1:
        raise ValueError(f"{where} must be strictly between 0 and 1, got {value}")
    return level
