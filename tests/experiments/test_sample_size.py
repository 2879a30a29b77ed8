"""The two-proportion sample-size formula (its power is checked by simulation elsewhere)."""

from __future__ import annotations

import pytest

from bff.experiments.sample_size import exposures_per_variant


def test_known_values() -> None:
    # Worked by hand from the formula in the module docstring.
    assert exposures_per_variant(0.05, 0.10) == 31_234
    assert exposures_per_variant(0.03, 0.20) == 13_914


def test_smaller_effects_and_more_power_need_more() -> None:
    assert exposures_per_variant(0.05, 0.05) > exposures_per_variant(0.05, 0.10)
    assert exposures_per_variant(0.05, 0.10, power=0.9) > exposures_per_variant(0.05, 0.10)
    assert exposures_per_variant(0.05, -0.10) < exposures_per_variant(0.05, 0.10)


@pytest.mark.parametrize(
    ("baseline", "mde", "message"),
    [
        (0.0, 0.1, "baseline_rate must be strictly between 0 and 1"),
        (0.5, 1.0, "keep the rate in (0, 1)"),
        (0.5, 0.0, "must be non-zero"),
        (float("nan"), 0.1, "baseline_rate must be a finite number"),
    ],
)
def test_out_of_range_inputs(baseline: float, mde: float, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        exposures_per_variant(baseline, mde)
