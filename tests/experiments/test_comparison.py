"""One variant against the control: the four intervals and their p-values agree with each other."""

from __future__ import annotations

import pytest

from bff.experiments.comparison import compare
from bff.experiments.counts import VariantCounts

CONTROL = VariantCounts("A", 20_000, 600)


def test_fixed_and_sequential_intervals_on_both_scales() -> None:
    result = compare(CONTROL, VariantCounts("B", 20_000, 720))
    assert result.estimable
    assert result.relative_uplift == pytest.approx(0.20)
    assert result.absolute_difference == pytest.approx(0.006)
    for fixed, sequential in (
        (result.relative_fixed, result.relative_sequential),
        (result.absolute_fixed, result.absolute_sequential),
    ):
        assert fixed is not None and sequential is not None
        assert sequential.low < fixed.low < fixed.high < sequential.high
    assert result.p_value_fixed is not None and result.p_value_sequential is not None
    assert result.p_value_fixed < result.p_value_sequential < 0.05


def test_relative_interval_is_asymmetric_and_never_below_minus_100_percent() -> None:
    result = compare(CONTROL, VariantCounts("B", 20_000, 3))
    assert result.relative_sequential is not None and result.relative_uplift is not None
    assert -1 < result.relative_sequential.low < result.relative_uplift
    assert result.relative_sequential.high - result.relative_uplift > result.relative_uplift - (
        result.relative_sequential.low
    )


def test_too_few_outcomes_is_not_estimable() -> None:
    result = compare(VariantCounts("A", 300, 4), VariantCounts("B", 300, 5))
    assert not result.estimable and result.relative_sequential is None
