"""Exposures per variant to detect a relative change with a given power (two proportions).

Contract: ``exposures_per_variant(baseline_rate, relative_mde, alpha, power)`` returns the
smallest whole number of exposures per arm for a two-sided test at level ``alpha`` to detect
the change from ``baseline_rate`` to ``baseline_rate * (1 + relative_mde)`` with probability
``power``, by the standard normal-approximation formula (Fleiss, without continuity correction)::

    n = (z_(1-alpha/2) sqrt(2 pbar (1 - pbar)) + z_power sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2

with ``pbar = (p1 + p2) / 2``. It is a fixed-horizon figure: the sequential test, which can be
read every day, needs more to reach the same power (``docs/experiments.md`` gives by how much).
"""

from __future__ import annotations

import math

from scipy.stats import norm

from bff.experiments.counts import check_level
from bff.experiments.proportions import two_sided_z


def exposures_per_variant(
    baseline_rate: float, relative_mde: float, alpha: float = 0.05, power: float = 0.80
) -> int:
    """Exposures each arm needs; ``ValueError`` when the rates or levels are out of range."""
    p1 = check_level(baseline_rate, "baseline_rate")
    check_level(alpha, "alpha")
    check_level(power, "power")
    p2 = p1 * (1 + relative_mde)
    if relative_mde == 0 or not 0 < p2 < 1:
        raise ValueError(
            "relative_mde must be non-zero and keep the rate in (0, 1); "
            f"{p1:g} * (1 + {relative_mde:g}) = {p2:g}"
        )
    pbar = (p1 + p2) / 2
    root = two_sided_z(alpha) * math.sqrt(2 * pbar * (1 - pbar)) + float(norm.ppf(power)) * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return math.ceil(root * root / (p2 - p1) ** 2)
