"""analyse_experiment() against the named cases in verdict_cases.json (tests as data).

A case gives variants (``name``, ``exposures``, ``conversions``, optional revenue), an optional
``control`` (default: the first variant), ``weights`` and ``settings``, and either the verdict
kinds expected for the non-control variants in order, or a fragment of the expected
``ValueError`` message. Every case runs with warnings turned into errors: no input may reach
numpy as a division by zero or a ``nan``.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from pathlib import Path
from typing import Any

import pytest

from bff.experiments import AnalysisSettings, ExperimentResult, VariantCounts, analyse_experiment

CASES = json.loads(Path(__file__).with_name("verdict_cases.json").read_text(encoding="utf-8"))["cases"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", CASES, ids=[c["name"] for c in CASES])


def run_case(case: dict[str, Any]) -> ExperimentResult:
    variants = [VariantCounts(**v) for v in case["variants"]]
    control = case.get("control", variants[0].name if variants else "A")
    return analyse_experiment(
        variants, control, case.get("weights"), AnalysisSettings(**case.get("settings", {}))
    )


def test_case(case: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if "error" in case:
            with pytest.raises(ValueError, match=re.escape(case["error"])):
                run_case(case)
            return
        result = run_case(case)
    assert [v.kind for v in result.verdicts] == case["expect"], [v.sentence for v in result.verdicts]
    for verdict in result.verdicts:
        assert verdict.sentence.endswith(".") and "nan" not in verdict.sentence


def test_every_kind_is_covered() -> None:
    kinds = {kind for case in CASES for kind in case.get("expect", [])}
    assert kinds == {"better", "worse", "no_difference", "not_enough_data", "check_split"}


def test_sentences_carry_the_figures() -> None:
    by_name = {c["name"]: c for c in CASES}
    winner = run_case(by_name["clear_winner"]).verdicts[0]
    assert winner.sentence.startswith("B better than A (+20.0% [")
    waiting = run_case(by_name["early_small_difference"]).verdicts[0]
    assert waiting.exposures_needed is not None and waiting.exposures_needed > 0
    assert f"about {waiting.exposures_needed:,} more exposures per variant" in waiting.sentence
    assert "10% change with 80% power" in waiting.sentence
    no_difference = run_case(by_name["planned_size_reached_no_difference"]).verdicts[0]
    assert "rules out an uplift larger than +" in no_difference.sentence
    split = run_case(by_name["srm_blocks_a_winner"])
    assert split.srm.mismatch and "Check the split" in split.srm.sentence
    assert "better" not in split.verdicts[0].sentence


def test_revenue_gives_average_order_values() -> None:
    result = run_case({c["name"]: c for c in CASES}["with_revenue"])
    aov = result.variants[0].average_order_value
    assert aov is not None and aov.value == 50.0 and aov.low < 50.0 < aov.high
    assert result.variants[1].average_order_value is not None
    assert all(math.isfinite(v.conversion_rate.value) for v in result.variants if v.conversion_rate)
