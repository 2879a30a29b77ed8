"""Sample-ratio mismatch: do the assignment counts match the configured weights?

Contract: ``srm_p_values(counts, weights)`` is the chi-square goodness-of-fit p-value over the
last axis of ``counts`` (vectorised for simulations); ``check_sample_ratio`` returns one
``SrmCheck`` with a sentence. A mismatch is flagged at ``p < 0.001``, GrowthBook's threshold:
strict enough that a fair split is flagged once in a thousand experiments, loose enough that a
52/48 split of a 50/50 experiment is caught within a few tens of thousands of exposures.

A mismatch means the variants did not receive comparable traffic (a redirect that loses
visitors, a bot filter that treats variants differently, a caching layer that pins one
variant), so no comparison between them can be trusted, however significant it looks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import chi2

from bff.experiments.uplift import FloatArray

SRM_THRESHOLD = 0.001


@dataclass(frozen=True)
class SrmCheck:
    """The chi-square p-value, whether it is below the threshold, and a sentence for people."""

    p_value: float
    mismatch: bool
    sentence: str


def srm_p_values(counts: ArrayLike, weights: Sequence[float]) -> FloatArray:
    """Chi-square p-values of ``counts`` (..., variants) against ``weights``; 1 where nothing is counted."""
    observed = np.asarray(counts, dtype=np.float64)
    shares = np.asarray(weights, dtype=np.float64) / float(np.sum(weights))
    totals = observed.sum(axis=-1, keepdims=True)
    expected = totals * shares
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(expected > 0, (observed - expected) ** 2 / expected, 0.0).sum(axis=-1)
    p = chi2.sf(statistic, max(observed.shape[-1] - 1, 1))
    return np.asarray(np.where(totals[..., 0] > 0, p, 1.0), dtype=np.float64)


def _shares(values: Sequence[float]) -> list[float]:
    total = float(sum(values))
    return [100 * v / total for v in values]


def check_sample_ratio(
    names: Sequence[str], counts: Sequence[int], weights: Sequence[float], threshold: float = SRM_THRESHOLD
) -> SrmCheck:
    """The SRM check of one experiment, with a sentence naming the observed and configured split."""
    if len(counts) < 2 or sum(counts) == 0:
        return SrmCheck(p_value=1.0, mismatch=False, sentence="Nothing to check in the split yet.")
    p = float(srm_p_values(counts, weights))
    observed = "/".join(f"{s:.1f}%" for s in _shares(counts))
    configured = "/".join(f"{s:.1f}%" for s in _shares(weights))
    split = f"{'/'.join(names)} received {observed} of exposures, configured {configured}"
    if p < threshold:
        sentence = (
            f"Check the split: {split} (chi-square p = {p:.2g} < {threshold:g}). "
            "The variants did not get comparable traffic, "
            "so no result can be trusted until the cause is fixed."
        )
        return SrmCheck(p_value=p, mismatch=True, sentence=sentence)
    return SrmCheck(p_value=p, mismatch=False, sentence=f"The split is as configured: {split} (p = {p:.2g}).")
