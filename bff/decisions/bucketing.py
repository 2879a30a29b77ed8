"""Deterministic bucketing: ``bucket(seed, value) -> float in [0, 1)``, the same on every machine."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

_SCALE = float(2**64)


def bucket(seed: str, value: str) -> float:
    """A uniform, stable position in ``[0, 1)`` for ``value`` under ``seed`` (BLAKE2b, 64 bits)."""
    digest = hashlib.blake2b(f"{seed}\x00{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / _SCALE


def pick_weighted(weights: Sequence[int], position: float) -> int:
    """The index whose share of the cumulative ``weights`` contains ``position`` in ``[0, 1)``."""
    total = sum(weights)
    threshold = position * total
    running = 0
    for index, weight in enumerate(weights):
        running += weight
        if threshold < running:
            return index
    return len(weights) - 1
