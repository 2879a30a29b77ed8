"""Fixed-horizon (one look) normal intervals and two-sided p-values, element-wise.

Contract: ``fixed_interval(moments, alpha)`` is ``point -/+ z_(1 - alpha/2) * se``;
``fixed_p_value(moments)`` tests ``point == 0`` two-sided. Both are valid only when the data
are read once, at a sample size fixed in advance (``sample_size.py``). Read every day, they
find a "winner" in an A/A test far more often than ``alpha``: ``operating_characteristics``
measures by how much, and the dashboard's verdict uses ``sequential.py`` instead.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from bff.experiments.proportions import two_sided_z
from bff.experiments.uplift import FloatArray, Moments


def fixed_interval(moments: Moments, alpha: float = 0.05) -> tuple[FloatArray, FloatArray]:
    """The two-sided ``1 - alpha`` Wald interval around ``moments.point``."""
    half = two_sided_z(alpha) * moments.se
    return moments.point - half, moments.point + half


def fixed_p_value(moments: Moments) -> FloatArray:
    """Two-sided p-value of ``point == 0``; ``nan`` where the standard error is zero or ``nan``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(moments.se > 0, np.abs(moments.point) / moments.se, np.nan)
    return np.asarray(2 * norm.sf(z), dtype=np.float64)
