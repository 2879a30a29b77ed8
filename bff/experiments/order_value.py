"""Average order value with a normal-theory interval, from sufficient statistics.

Contract: ``average_order_value(orders, revenue_sum, revenue_sum_squares, alpha)`` returns
the mean order value and a two-sided ``1 - alpha`` Student-t interval, or ``None`` with
fewer than two orders (no variance can be estimated from one). The counts are assumed
validated (``counts.check_variant``). Order values are skewed; with the tens of orders an
experiment needs before its verdict the t interval is close enough, and it needs only the
two sums the rollups keep, not the orders themselves.
"""

from __future__ import annotations

import math

from scipy.stats import t as student_t

from bff.experiments.proportions import Estimate


def average_order_value(
    orders: int, revenue_sum: float, revenue_sum_squares: float, alpha: float = 0.05
) -> Estimate | None:
    """Mean revenue per order and its t interval; ``None`` below two orders."""
    if orders < 2:
        return None
    mean = revenue_sum / orders
    # max(): rounding can make the corrected sum of squares a hair below zero.
    variance = max(0.0, (revenue_sum_squares - orders * mean * mean) / (orders - 1))
    half = float(student_t.ppf(1 - alpha / 2, orders - 1)) * math.sqrt(variance / orders)
    return Estimate(value=mean, low=mean - half, high=mean + half)
