"""Simulated experiments: daily batches of exposures and conversions, many experiments at once.

Contract: ``simulate_daily(rng, ...)`` is pure given the ``numpy.random.Generator`` it is
passed (same seed, same counts). Each day ``daily_exposures`` exposures are split over the
variants by a multinomial draw with ``served_weights`` (set them apart from the configured
weights to simulate a sample-ratio mismatch), and each variant's conversions are binomial
with its true ``rates``. The result holds cumulative counts, as a dashboard reads them, with
shape ``(sims, days, variants)``: look ``d`` of simulation ``s`` is ``[s, d]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class SimulatedCounts:
    """Cumulative exposures and conversions, ``(sims, days, variants)``."""

    exposures: IntArray
    conversions: IntArray


def simulate_daily(
    rng: np.random.Generator,
    sims: int,
    days: int,
    daily_exposures: int,
    rates: Sequence[float],
    served_weights: Sequence[float] | None = None,
) -> SimulatedCounts:
    """``sims`` experiments of ``days`` daily batches; equal serving when ``served_weights`` is None."""
    weights = np.ones(len(rates)) if served_weights is None else np.asarray(served_weights, dtype=np.float64)
    shares = weights / weights.sum()
    daily = rng.multinomial(daily_exposures, shares, size=(sims, days))
    converted = rng.binomial(daily, np.asarray(rates, dtype=np.float64))
    return SimulatedCounts(
        exposures=np.cumsum(daily, axis=1, dtype=np.int64),
        conversions=np.cumsum(converted, axis=1, dtype=np.int64),
    )
