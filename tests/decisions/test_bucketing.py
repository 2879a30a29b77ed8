"""Bucketing: deterministic, uniform, and weighted splits that pass a chi-square test."""

from __future__ import annotations

import math
import random

from bff.decisions.bucketing import bucket, pick_weighted

SESSIONS = 100_000


def sessions(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.getrandbits(128):032x}" for _ in range(count)]


def chi_square_p_value_df2(observed: list[int], expected: list[float]) -> float:
    """Upper tail of chi-square with 2 degrees of freedom, which is exactly exp(-x/2)."""
    statistic = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))
    return math.exp(-statistic / 2)


def test_bucket_is_stable_and_in_range() -> None:
    assert bucket("seed", "session") == bucket("seed", "session")
    assert bucket("seed", "session") != bucket("other-seed", "session")
    values = [bucket("seed", s) for s in sessions(1000, 1)]
    assert all(0 <= v < 1 for v in values)


def test_pick_weighted_edges() -> None:
    assert pick_weighted([1, 1], 0.0) == 0
    assert pick_weighted([1, 1], 0.4999) == 0
    assert pick_weighted([1, 1], 0.5) == 1
    assert pick_weighted([5, 0, 5], 0.5) == 2
    assert pick_weighted([3], 0.99) == 0


def test_100k_sessions_split_50_30_20_pass_chi_square() -> None:
    weights = [50, 30, 20]
    counts = [0, 0, 0]
    for session in sessions(SESSIONS, 42):
        counts[pick_weighted(weights, bucket("variant:campaign-1", session))] += 1
    expected = [SESSIONS * w / sum(weights) for w in weights]
    assert chi_square_p_value_df2(counts, expected) > 0.001, counts


def test_chi_square_detects_a_biased_split() -> None:
    """The check has teeth: a 52/28/20 split of 100k sessions is rejected."""
    expected = [50_000.0, 30_000.0, 20_000.0]
    assert chi_square_p_value_df2([52_000, 28_000, 20_000], expected) < 1e-6


def test_seeds_are_independent_across_campaigns() -> None:
    """A session's bucket in one campaign says nothing about its bucket in another."""
    both = sum(
        1 for s in sessions(20_000, 7) if bucket("variant:a", s) < 0.5 and bucket("variant:b", s) < 0.5
    )
    assert abs(both / 20_000 - 0.25) < 0.02
