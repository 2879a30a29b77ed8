"""The sample-ratio-mismatch check and its sentence (its calibration is checked by simulation)."""

from __future__ import annotations

from bff.experiments.srm import check_sample_ratio, srm_p_values


def test_a_52_48_split_is_flagged_with_the_figures() -> None:
    check = check_sample_ratio(["A", "B"], [10_400, 9_600], [50, 50])
    assert check.mismatch and check.p_value < 1e-6
    assert "A/B received 52.0%/48.0% of exposures, configured 50.0%/50.0%" in check.sentence


def test_a_fair_split_and_unequal_weights_pass() -> None:
    assert not check_sample_ratio(["A", "B"], [10_040, 9_960], [1, 1]).mismatch
    assert not check_sample_ratio(["A", "B", "C"], [5_000, 5_020, 9_990], [1, 1, 2]).mismatch


def test_nothing_to_check() -> None:
    assert not check_sample_ratio(["A"], [100], [1]).mismatch
    assert check_sample_ratio(["A", "B"], [0, 0], [1, 1]).p_value == 1.0


def test_vectorised_over_simulations() -> None:
    p = srm_p_values([[100, 100], [0, 0], [150, 50]], [1, 1])
    assert p.shape == (3,) and p[0] == 1.0 and p[1] == 1.0 and p[2] < 1e-6
