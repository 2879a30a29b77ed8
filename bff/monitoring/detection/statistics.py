"""Statistical tests of the detector (pure, vectorized with numpy/scipy).

Every test takes array-likes (scalars work too) and returns one-sided p-values as two
arrays ``(p_low, p_high)``: ``p_low`` is the probability of a value at most as large as
the observed one under the null hypothesis (evidence of a drop), ``p_high`` of a value at
least as large (evidence of a spike). ``two_sided`` combines them.

* ``poisson_tails(x, mu)``: X ~ Poisson(mu).
* ``negative_binomial_tails(x, mu, dispersion)``: X ~ NB with mean ``mu`` and variance
  ``mu + dispersion * mu**2`` (``dispersion == 0`` is Poisson). The detector uses the
  dispersion to absorb day-to-day variation and the noise of the baseline itself
  (``negative_binomial_two_sided``: the two-sided p-value, one tail computed where it decides).
* ``poisson_rate_tails(x, exposure_x, y, exposure_y)``: the exact conditional test of two
  Poisson rates: given ``n = x + y``, X ~ Binomial(n, ex / (ex + ey)) under equal rates.
* ``two_proportion_tails(s1, n1, s0, n0)``: the pooled two-proportion z-test (large samples).
* ``conditional_proportion_tails(s1, n1, s0, n0)``: the exact conditional test of two
  proportions that the detector uses: the rarer outcome's count given its total in both
  samples is binomial (the rare-event limit of Fisher's exact test). Its tails stay exact
  at the p-values Benjamini-Hochberg asks for (1e-7 and below), where the z-test's normal
  tails are off by orders of magnitude for a few expected events.
* ``benjamini_hochberg(p)``: adjusted p-values (q-values) controlling the false discovery
  rate over all tests of one sweep.
* ``family_benjamini_hochberg(p, families, alpha)``: the two-level procedure of Benjamini
  and Bogomolov (2014): families (a merchant's series) are selected by BH over their Simes
  p-values, then tests within each selected family by BH at ``alpha * R / M``. It controls
  the average false discovery rate over the selected families, and a family with many true
  discoveries (an outage: hundreds of findings) no longer loosens the threshold of every
  other family, as one flat BH does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

Floats = NDArray[np.float64]


def _f(values: ArrayLike) -> Floats:
    return np.asarray(values, dtype=np.float64)


def poisson_tails(x: ArrayLike, mu: ArrayLike) -> tuple[Floats, Floats]:
    """P(X <= x) and P(X >= x) for X ~ Poisson(mu); ``mu == 0`` gives (1, 1 if x == 0 else 0)."""
    x_, mu_ = np.broadcast_arrays(_f(x), _f(mu))
    low = special.pdtr(x_, mu_)
    high = np.where(x_ <= 0, 1.0, special.pdtrc(np.maximum(x_ - 1, 0), mu_))
    return _clip(low), _clip(high)


def negative_binomial_tails(x: ArrayLike, mu: ArrayLike, dispersion: ArrayLike) -> tuple[Floats, Floats]:
    """P(X <= x) and P(X >= x) for a negative binomial with mean ``mu``, variance ``mu + d mu^2``.

    With ``r = 1/d`` and ``p = r / (r + mu)``, ``P(X <= k) = I_p(r, k + 1)`` (regularized
    incomplete beta). Where ``d`` is 0 the Poisson tails are returned.
    """
    x_, mu_, d_ = np.broadcast_arrays(_f(x), _f(mu), _f(dispersion))
    return _nb_tail(x_, mu_, d_, low=True), _nb_tail(x_, mu_, d_, low=False)


def negative_binomial_two_sided(x: ArrayLike, mu: ArrayLike, dispersion: ArrayLike) -> Floats:
    """``two_sided(*negative_binomial_tails(x, mu, dispersion))``, computing one tail where it decides.

    The two tails sum to ``1 + P(X = x)``: where the tail on the observed side (the upper one
    at or above the mean) is under 1/2 it is the smaller, and the p-value is twice it; the
    other tail is computed only where the first is not (the same values, about half the work).
    """
    x_, mu_, d_ = (a.ravel() for a in np.broadcast_arrays(_f(x), _f(mu), _f(dispersion)))
    up = x_ >= mu_
    first = np.empty(x_.shape)
    first[up] = _nb_tail(x_[up], mu_[up], d_[up], low=False)
    first[~up] = _nb_tail(x_[~up], mu_[~up], d_[~up], low=True)
    other = np.full(x_.shape, 1.0)
    both = first >= 0.5
    if both.any():
        at_up, at_down = both & up, both & ~up
        other[at_up] = _nb_tail(x_[at_up], mu_[at_up], d_[at_up], low=True)
        other[at_down] = _nb_tail(x_[at_down], mu_[at_down], d_[at_down], low=False)
    shape = np.broadcast_shapes(np.shape(x), np.shape(mu), np.shape(dispersion))
    return two_sided(first, other).reshape(shape)


def _nb_tail(x_: Floats, mu_: Floats, d_: Floats, low: bool) -> Floats:
    """One tail of ``negative_binomial_tails`` (``low``: P(X <= x), else P(X >= x))."""
    nb = d_ > 0
    poisson: Floats | float = 1.0
    if not nb.all():
        poisson_low, poisson_high = poisson_tails(x_, mu_)
        poisson = poisson_low if low else poisson_high
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(d_ > 0, 1.0 / np.where(d_ > 0, d_, 1.0), 1.0)
        p = r / (r + mu_)
        if low:
            tail = np.where(mu_ <= 0, 1.0, special.betainc(r, x_ + 1.0, p))
        else:
            high = np.where(x_ <= 0, 1.0, 1.0 - special.betainc(r, np.maximum(x_, 1.0), p))
            tail = np.where(mu_ <= 0, np.where(x_ <= 0, 1.0, 0.0), high)
    return _clip(np.where(nb, tail, poisson))


def poisson_rate_tails(
    x: ArrayLike, exposure_x: ArrayLike, y: ArrayLike, exposure_y: ArrayLike
) -> tuple[Floats, Floats]:
    """Exact conditional test that counts ``x`` (over ``exposure_x``) and ``y`` share one rate."""
    x_, ex, y_, ey = np.broadcast_arrays(_f(x), _f(exposure_x), _f(y), _f(exposure_y))
    n = x_ + y_
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ex + ey > 0, ex / (ex + ey), 0.5)
    # Binomial tails through the regularized incomplete beta (n may be a float array):
    # P(X <= x) = I_{1-p}(n - x, x + 1) for x < n; P(X >= x) = I_p(x, n - x + 1) for x >= 1.
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(x_ >= n, 1.0, special.betainc(np.maximum(n - x_, 1e-300), x_ + 1.0, 1.0 - share))
        high = np.where(x_ <= 0, 1.0, special.betainc(np.maximum(x_, 1e-300), n - x_ + 1.0, share))
    return _clip(low), _clip(high)


def two_proportion_tails(
    successes: ArrayLike, trials: ArrayLike, baseline_successes: ArrayLike, baseline_trials: ArrayLike
) -> tuple[Floats, Floats]:
    """Pooled two-proportion z-test of ``s1/n1`` against ``s0/n0``.

    ``p_low`` is small when the current rate is lower than the baseline's. Empty samples or
    a pooled rate of exactly 0 or 1 (no variance: the rates are equal) give p = 1.
    """
    s1, n1, s0, n0 = np.broadcast_arrays(
        _f(successes), _f(trials), _f(baseline_successes), _f(baseline_trials)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (s1 + s0) / (n1 + n0)
        se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n0))
        z = (s1 / n1 - s0 / n0) / se
    valid = (n1 > 0) & (n0 > 0) & (se > 0) & np.isfinite(z)
    z = np.where(valid, z, 0.0)
    low = np.where(valid, special.ndtr(z), 1.0)
    high = np.where(valid, special.ndtr(-z), 1.0)
    return _clip(low), _clip(high)


def conditional_proportion_tails(
    successes: ArrayLike, trials: ArrayLike, baseline_successes: ArrayLike, baseline_trials: ArrayLike
) -> tuple[Floats, Floats]:
    """Exact conditional test of the proportion ``s1/n1`` against ``s0/n0``.

    The test is on the rarer outcome of the pooled sample (successes when the pooled rate
    is at most 1/2, else failures): given its total ``k`` over both samples, the current
    sample's share is ``Binomial(k, n1 / (n1 + n0))`` when both rates are equal. That is
    exact when the outcome is a Poisson count with the trials as exposure (orders per
    session, failures per authorization) and conservative otherwise (the hypergeometric
    of Fisher's test is narrower by ``1 - pooled rate`` at most). Tails are returned
    for the success rate: ``p_low`` is small when the current rate is lower. Empty samples
    give p = 1. Successes are capped at the trials.
    """
    s1, n1, s0, n0 = np.broadcast_arrays(
        _f(successes), _f(trials), _f(baseline_successes), _f(baseline_trials)
    )
    s1, s0 = np.clip(s1, 0.0, n1), np.clip(s0, 0.0, n0)
    with np.errstate(divide="ignore", invalid="ignore"):
        failures_rarer = (s1 + s0) * 2.0 > n1 + n0
    x = np.where(failures_rarer, n1 - s1, s1)
    y = np.where(failures_rarer, n0 - s0, s0)
    rare_low, rare_high = poisson_rate_tails(x, n1, y, n0)
    valid = (n1 > 0) & (n0 > 0)
    low = np.where(valid, np.where(failures_rarer, rare_high, rare_low), 1.0)
    high = np.where(valid, np.where(failures_rarer, rare_low, rare_high), 1.0)
    return _clip(low), _clip(high)


def two_sided(low: ArrayLike, high: ArrayLike) -> Floats:
    """Two-sided p-value from the one-sided tails: ``min(1, 2 * min(low, high))``."""
    return np.minimum(1.0, 2.0 * np.minimum(_f(low), _f(high)))


def benjamini_hochberg(p_values: ArrayLike) -> Floats:
    """Benjamini-Hochberg adjusted p-values, in the input order.

    ``q[i] = min over j with rank(j) >= rank(i) of p[j] * m / rank(j)``, capped at 1; a
    test is a discovery at false discovery rate ``alpha`` when ``q <= alpha``.
    """
    p = _f(p_values).ravel()
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m, dtype=np.float64)
    q[order] = np.minimum(adjusted, 1.0)
    return q


def family_benjamini_hochberg(
    p_values: ArrayLike, families: ArrayLike, alpha: float, exact: bool = True
) -> tuple[NDArray[np.bool_], Floats]:
    """Discoveries at level ``alpha`` and adjusted p-values of the two-level BH (Benjamini-Bogomolov).

    ``families`` holds one label (any integers) per test. For a family ``f`` with ``m_f``
    tests, its Simes p-value is ``min_j p_(j) m_f / j``; families are selected by BH over
    the ``M`` Simes p-values at ``alpha`` (``R`` selected); within a selected family a test
    is a discovery when its within-family BH q-value is at most ``alpha * R / M``. The
    adjusted value returned is that within-family q-value times ``M / max(R, 1)`` (capped at
    1), and 1 outside the selected families: a test is a discovery when it is ``<= alpha``.

    ``exact=False`` ranks only the tests with ``p <= alpha`` (a sweep's few hundred of its
    hundreds of thousands): an adjusted value is never below its p-value, so every other
    term of the minima that make an adjusted value (or a Simes p-value) is above ``alpha``.
    The discoveries, and every adjusted value at most ``alpha``, are the same; the other
    adjusted values are reported as 1.
    """
    p = _f(p_values).ravel()
    fam = np.asarray(families).ravel()
    if p.size == 0:
        return np.zeros(0, dtype=bool), p.copy()
    codes, sizes = _family_codes(fam)
    adjusted = np.ones(p.size)
    ranked_tests = np.arange(p.size) if exact else np.flatnonzero(p <= alpha)
    adjusted[ranked_tests] = _two_level(p[ranked_tests], codes[ranked_tests], sizes, alpha)
    return adjusted <= alpha, adjusted


def _two_level(p: Floats, codes: NDArray[np.intp], sizes: NDArray[np.intp], alpha: float) -> Floats:
    """The adjusted values of ``family_benjamini_hochberg`` for the tests ranked (``p``, their
    family ``codes``), the families having ``sizes`` tests in all."""
    order = np.lexsort((p, codes))
    sorted_codes = codes[order]
    starts = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=sizes.size))[:-1]))
    rank = np.arange(p.size) - starts[sorted_codes] + 1
    ranked = np.minimum(p[order] * sizes[sorted_codes] / rank, 1.0)
    # reverse cumulative minimum within each family: an offset of 2 per family keeps the
    # minimum from crossing into the previous family (every value is at most 1)
    offset = 2.0 * sorted_codes
    within_sorted = np.minimum.accumulate((ranked + offset)[::-1])[::-1] - offset
    within = np.empty(p.size)
    within[order] = within_sorted
    simes = np.ones(sizes.size)  # 1 for a family without a ranked test: its Simes p is above alpha
    simes[sorted_codes[rank == 1]] = within_sorted[rank == 1]
    selected = benjamini_hochberg(simes) <= alpha
    r, m = int(selected.sum()), sizes.size
    adjusted: Floats = np.where(selected[codes], np.minimum(within * m / max(r, 1), 1.0), 1.0)
    return adjusted


def _family_codes(labels: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Codes ``0 .. M - 1`` of the labels in sorted order, and each family's size.

    Non-negative integer labels (the detector's family codes) are counted, not sorted.
    """
    if labels.dtype.kind in "iu" and labels.min() >= 0:
        counts = np.bincount(labels)
        present = counts > 0
        return (np.cumsum(present) - 1)[labels], counts[present]
    codes, sizes = np.unique(labels, return_inverse=True, return_counts=True)[1:]
    return codes.ravel(), sizes


def _clip(values: Any) -> Floats:
    """Probabilities clipped to [0, 1], NaN (0/0 corners) as 1."""
    v = _f(values)
    return np.where(np.isnan(v), 1.0, np.clip(v, 0.0, 1.0))
