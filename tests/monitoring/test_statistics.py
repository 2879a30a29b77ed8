"""Table tests of the statistics (pure): cases are data in statistics_cases.json.

The expected values were computed once with scipy.stats' distribution objects (a code
path independent of the scipy.special functions the module uses) and checked against
textbook values (Poisson(10): P(X <= 5) = 0.0671, P(X >= 15) = 0.0835).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bff.monitoring import statistics as st

CASES = json.loads((Path(__file__).parent / "statistics_cases.json").read_text())


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for family in CASES:
        if f"{family}_case" in metafunc.fixturenames:
            metafunc.parametrize(f"{family}_case", CASES[family], ids=[c["name"] for c in CASES[family]])


def approx(value: float) -> object:
    return pytest.approx(value, rel=1e-6, abs=1e-12)


def test_poisson(poisson_case: dict) -> None:  # type: ignore[type-arg]
    low, high = st.poisson_tails(poisson_case["x"], poisson_case["mu"])
    assert (float(low), float(high)) == (approx(poisson_case["low"]), approx(poisson_case["high"]))


def test_negative_binomial(negative_binomial_case: dict) -> None:  # type: ignore[type-arg]
    c = negative_binomial_case
    low, high = st.negative_binomial_tails(c["x"], c["mu"], c["dispersion"])
    assert (float(low), float(high)) == (approx(c["low"]), approx(c["high"]))


def test_poisson_rate(poisson_rate_case: dict) -> None:  # type: ignore[type-arg]
    c = poisson_rate_case
    low, high = st.poisson_rate_tails(c["x"], c["exposure_x"], c["y"], c["exposure_y"])
    assert (float(low), float(high)) == (approx(c["low"]), approx(c["high"]))


def test_two_proportion(two_proportion_case: dict) -> None:  # type: ignore[type-arg]
    c = two_proportion_case
    low, high = st.two_proportion_tails(c["s1"], c["n1"], c["s0"], c["n0"])
    assert (float(low), float(high)) == (approx(c["low"]), approx(c["high"]))


def test_benjamini_hochberg(benjamini_hochberg_case: dict) -> None:  # type: ignore[type-arg]
    q = st.benjamini_hochberg(benjamini_hochberg_case["p"])
    assert list(q) == [approx(v) for v in benjamini_hochberg_case["q"]]


def test_overdispersion_makes_the_same_drop_less_significant() -> None:
    poisson_low, _ = st.negative_binomial_tails(60, 100, 0.0)
    dispersed_low, _ = st.negative_binomial_tails(60, 100, 0.05)
    assert poisson_low < 1e-4 < dispersed_low


def test_vectorized_calls_match_scalar_calls() -> None:
    x, mu = np.array([0, 5, 15, 100]), np.array([50.0, 10.0, 10.0, 100.0])
    low, high = st.poisson_tails(x, mu)
    for i in range(4):
        assert (low[i], high[i]) == tuple(float(v) for v in st.poisson_tails(int(x[i]), float(mu[i])))


def test_two_sided_is_twice_the_smaller_tail_capped_at_one() -> None:
    assert list(st.two_sided([0.01, 0.6, 0.9], [0.99, 0.5, 0.2])) == [0.02, 1.0, 0.4]


def test_benjamini_hochberg_controls_false_discoveries_on_null_p_values() -> None:
    rng = np.random.default_rng(7)
    discoveries = [int((st.benjamini_hochberg(rng.uniform(size=1000)) <= 0.05).sum()) for _ in range(50)]
    assert sum(d > 0 for d in discoveries) <= 5  # FDR = FWER under the global null: ~5% of runs
