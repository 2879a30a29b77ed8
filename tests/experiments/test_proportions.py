"""Wilson intervals for conversion rates and t intervals for average order value."""

from __future__ import annotations

import pytest

from bff.experiments.order_value import average_order_value
from bff.experiments.proportions import conversion_rate


def test_wilson_matches_published_values() -> None:
    half = conversion_rate(5, 10)
    assert half is not None
    assert (half.value, round(half.low, 4), round(half.high, 4)) == (0.5, 0.2366, 0.7634)


def test_wilson_stays_informative_at_zero_and_at_all() -> None:
    none, every = conversion_rate(0, 10), conversion_rate(10, 10)
    assert none is not None and every is not None
    assert none.low == 0.0 and none.high == pytest.approx(0.2775, abs=1e-4)
    assert every.high == pytest.approx(1.0) and every.low == pytest.approx(1 - 0.2775, abs=1e-4)


def test_no_exposures_gives_no_rate() -> None:
    assert conversion_rate(0, 0) is None


def test_average_order_value_interval() -> None:
    # Orders of 40, 50 and 60: mean 50, sample sd 10, t(0.975, 2) = 4.303.
    aov = average_order_value(3, 150.0, 40.0**2 + 50.0**2 + 60.0**2)
    assert aov is not None
    assert aov.value == 50.0
    assert aov.high - aov.value == pytest.approx(4.3027 * 10 / 3**0.5, rel=1e-4)


def test_average_order_value_needs_two_orders() -> None:
    assert average_order_value(1, 50.0, 2500.0) is None
    assert average_order_value(0, 0.0, 0.0) is None
