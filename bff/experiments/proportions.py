"""Conversion rates with Wilson score intervals.

Contract: ``conversion_rate(conversions, exposures, alpha)`` returns the observed rate and a
two-sided ``1 - alpha`` Wilson interval, or ``None`` when there are no exposures. Wilson is
used instead of the Wald interval because it stays inside [0, 1] and keeps its coverage at
0 and at 100 % conversion, where the Wald interval collapses to a point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import norm


@dataclass(frozen=True)
class Estimate:
    """An observed value (a rate, a mean) and its two-sided confidence interval."""

    value: float
    low: float
    high: float


def two_sided_z(alpha: float) -> float:
    """The standard normal quantile that leaves ``alpha / 2`` in each tail."""
    return float(norm.ppf(1 - alpha / 2))


def conversion_rate(conversions: int, exposures: int, alpha: float = 0.05) -> Estimate | None:
    """``conversions / exposures`` with its Wilson interval; ``None`` for zero exposures."""
    if exposures == 0:
        return None
    z = two_sided_z(alpha)
    p = conversions / exposures
    z2n = z * z / exposures
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / exposures + z2n / (4 * exposures)) / (1 + z2n)
    return Estimate(value=p, low=max(0.0, centre - half), high=min(1.0, centre + half))
