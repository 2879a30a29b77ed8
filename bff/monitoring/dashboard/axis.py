"""The top of a chart's value axis (pure), shared by the PNG alert chart and the SVG charts."""

from __future__ import annotations

import math


def nice_ceiling(value: float, when_empty: float = 1.0) -> float:
    """The smallest of 1, 2, 2.5, 5, 10 x a power of ten at or above ``value``;
    ``when_empty`` for a value of zero or less (nothing to scale to)."""
    if value <= 0:
        return when_empty
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * magnitude * (1 + 1e-12):
            return float(factor * magnitude)
    return float(10 * magnitude)
