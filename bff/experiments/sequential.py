"""Always-valid (sequential) intervals and p-values: the normal-mixture confidence sequence.

Contract: for an estimate whose standard error shrinks like ``1/sqrt(n)``, with ``n`` the
exposures of both arms together, ``sequential_interval`` covers the true value at every look
at once with probability at least ``1 - alpha``, however often and whenever the data are read
(asymptotically, as the normal approximation holds). ``sequential_p_value(m) < alpha`` exactly
when that interval excludes 0, so a verdict read from either agrees with the other.

Method (Howard, Ramdas, McAuliffe and Sekhon 2021, the two-sided normal mixture; Waudby-Smith
et al. 2023, eq. 9 and 161; as in GrowthBook's frequentist engine). With ``s2 = se^2 * n`` the
per-exposure variance and ``rho`` the mixture's precision, the half-width at ``n`` is::

    sqrt(s2) * sqrt(2 (n rho^2 + 1) / (n rho)^2 * log(sqrt(n rho^2 + 1) / alpha))

and the p-value is ``1 / e`` with the mixture martingale
``e = exp(rho^2 S^2 / (2 (n rho^2 + 1))) / sqrt(n rho^2 + 1)``, ``S^2 = n point^2 / se^2``.

The tuning parameter ``tuning_exposures`` is the total exposure count at which the sequence
is made tightest; ``rho`` is chosen for it (Howard et al., eq. 161). The interval is valid for
any choice; a choice far from the real sample size only makes it wider, and slowly (the width
grows with the logarithm of the ratio). The default, 20,000 exposures over both arms, is the
order of sample a pay-later badge experiment reaches in two to four weeks at a mid-size
merchant: a 20 % relative change at a 3 % conversion rate needs about 14,000 per arm.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from bff.experiments.uplift import FloatArray, Moments

DEFAULT_TUNING_EXPOSURES = 20_000


def mixture_rho(alpha: float, tuning_exposures: float) -> float:
    """The mixture precision that makes the two-sided sequence tightest at ``tuning_exposures``."""
    log_term = -2 * math.log(alpha)
    return math.sqrt((log_term + math.log(log_term + 1)) / tuning_exposures)


def sequential_halfwidth(
    moments: Moments, exposures: ArrayLike, alpha: float, tuning_exposures: float
) -> FloatArray:
    """Half-width of the ``1 - alpha`` confidence sequence at ``exposures`` (both arms)."""
    n = np.asarray(exposures, dtype=np.float64)
    rho2 = mixture_rho(alpha, tuning_exposures) ** 2
    s2 = moments.se**2 * n
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(
            np.sqrt(s2 * 2 * (n * rho2 + 1) / (n * n * rho2) * np.log(np.sqrt(n * rho2 + 1) / alpha)),
            dtype=np.float64,
        )


def sequential_interval(
    moments: Moments,
    exposures: ArrayLike,
    alpha: float = 0.05,
    tuning_exposures: float = DEFAULT_TUNING_EXPOSURES,
) -> tuple[FloatArray, FloatArray]:
    """The always-valid ``1 - alpha`` interval around ``moments.point`` at ``exposures``."""
    half = sequential_halfwidth(moments, exposures, alpha, tuning_exposures)
    return moments.point - half, moments.point + half


def sequential_p_value(
    moments: Moments,
    exposures: ArrayLike,
    alpha: float = 0.05,
    tuning_exposures: float = DEFAULT_TUNING_EXPOSURES,
) -> FloatArray:
    """Always-valid p-value of ``point == 0`` (``1 / e``, at most 1); ``nan`` where se is 0 or nan."""
    n = np.asarray(exposures, dtype=np.float64)
    rho2 = mixture_rho(alpha, tuning_exposures) ** 2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s_squared = np.where(moments.se > 0, n * moments.point**2 / moments.se**2, np.nan)
        log_e = rho2 * s_squared / (2 * (n * rho2 + 1)) - 0.5 * np.log(n * rho2 + 1)
        return np.asarray(np.minimum(1.0, np.exp(-log_e)), dtype=np.float64)
