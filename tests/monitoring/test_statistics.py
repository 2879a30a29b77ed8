"""Table tests of the statistics (pure): cases are data in statistics_cases.json.

The expected values were computed once with scipy.stats' distribution objects (a code
path independent of the scipy.special functions the module uses) and checked against
textbook values (Poisson(10): P(X <= 5) = 0.0671, P(X >= 15) = 0.0835). The conditional
proportion cases were summed exactly over the binomial with rational arithmetic
(``fractions``), and the two-level BH cases follow Benjamini and Bogomolov's definition by
hand (Simes per family, BH over families, BH within at ``alpha * R / M``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bff.monitoring.detection import statistics as st

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


def test_conditional_proportion(conditional_proportion_case: dict) -> None:  # type: ignore[type-arg]
    c = conditional_proportion_case
    low, high = st.conditional_proportion_tails(c["s1"], c["n1"], c["s0"], c["n0"])
    assert (float(low), float(high)) == (approx(c["low"]), approx(c["high"]))


def test_family_benjamini_hochberg(family_benjamini_hochberg_case: dict) -> None:  # type: ignore[type-arg]
    c = family_benjamini_hochberg_case
    discovered, adjusted = st.family_benjamini_hochberg(c["p"], c["families"], c["alpha"])
    assert list(adjusted) == [approx(v) for v in c["adjusted"]]
    assert [bool(d) for d in discovered] == c["discovered"]


def test_the_exact_rate_test_is_far_less_extreme_than_the_z_test_at_a_few_events() -> None:
    exact = st.conditional_proportion_tails(3, 40, 0, 500)[1]
    z = st.two_proportion_tails(3, 40, 0, 500)[1]
    assert float(z) < 1e-9 < 1e-4 < float(exact)


def test_two_level_bh_matches_a_brute_force_reference_on_random_inputs() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        n = int(rng.integers(1, 40))
        p = rng.uniform(size=n) ** rng.uniform(1, 8)
        families = rng.integers(0, int(rng.integers(1, 6)), size=n) * 7 - 3
        discovered, adjusted = st.family_benjamini_hochberg(p, families, 0.05)
        expected = _two_level_reference(p, families, 0.05)
        assert np.allclose(adjusted, expected) and list(discovered) == list(expected <= 0.05)


def _two_level_reference(p: np.ndarray, families: np.ndarray, alpha: float) -> np.ndarray:
    labels = sorted(set(families.tolist()))
    simes, within = {}, np.ones(p.size)
    for f in labels:
        idx = np.where(families == f)[0]
        within[idx] = st.benjamini_hochberg(p[idx])
        ranked = np.sort(p[idx])
        simes[f] = min(ranked[j] * idx.size / (j + 1) for j in range(idx.size))
    q = st.benjamini_hochberg([simes[f] for f in labels])
    selected = {f: q[i] <= alpha for i, f in enumerate(labels)}
    r = sum(selected.values())
    scale = len(labels) / max(r, 1)
    return np.array([min(within[i] * scale, 1.0) if selected[families[i]] else 1.0 for i in range(p.size)])


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


def test_the_negative_binomial_two_sided_p_value_computes_one_tail_and_equals_both() -> None:
    rng = np.random.default_rng(0)
    mu = rng.choice([0.0, 0.5, 3.0, 20.0, 100.0, 1e4], size=5000) * rng.uniform(0.5, 1.5, size=5000)
    x = np.round(rng.poisson(mu) * rng.choice([0.0, 0.3, 1.0, 2.0, 5.0], size=5000))
    dispersion = rng.choice([0.0, 0.01, 0.1, 1.0], size=5000)
    both = st.two_sided(*st.negative_binomial_tails(x, mu, dispersion))
    assert np.array_equal(st.negative_binomial_two_sided(x, mu, dispersion), both)
    assert st.negative_binomial_two_sided(60, 100, 0.05).shape == ()


def test_family_bh_ranking_only_the_tests_at_most_alpha_finds_the_same_discoveries() -> None:
    rng = np.random.default_rng(4)
    for size, families in ((5000, 40), (3000, 400), (200, 3)):
        p = rng.uniform(size=size) ** rng.choice([1.0, 6.0, 12.0], size=size)
        labels = rng.integers(0, families, size=size)
        found, adjusted = st.family_benjamini_hochberg(p, labels, 0.001)
        fast_found, fast_adjusted = st.family_benjamini_hochberg(p, labels, 0.001, exact=False)
        assert found.any() and np.array_equal(found, fast_found)
        assert np.array_equal(adjusted[found], fast_adjusted[found])
        assert (fast_adjusted[~found] > 0.001).all()
