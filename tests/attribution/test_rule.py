"""Table tests of the attribution rule (pure): cases are data in attribution_cases.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bff.attribution.rule import MODELS, Order, Touch, attribute

CASES = json.loads((Path(__file__).parent / "attribution_cases.json").read_text())["cases"]
DEFAULTS = {
    "type": "click",
    "visit_id": "v1",
    "campaign_id": "c1",
    "variant": "A",
    "placement_key": "credit-badge",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", CASES, ids=[c["name"] for c in CASES])


def touches_of(spec: Any) -> list[Touch]:
    if isinstance(spec, dict):
        gen = spec["generate"]
        spec = [
            {
                "id": f"e{i:05d}",
                "ts": gen["start"] + i * gen["step"],
                "variant": gen["variants"][i % len(gen["variants"])],
                "visit_id": "v2" if i % gen["other_visit_every"] == 0 else "v1",
            }
            for i in range(gen["count"])
        ]
    return [Touch(**(DEFAULTS | raw), seq=seq) for seq, raw in enumerate(spec)]


def test_case(case: dict[str, Any]) -> None:
    order = Order(**case["order"])
    touches = touches_of(case["touches"])
    for model in MODELS:
        credits = attribute(order, touches, case["window_s"], model)
        found = [[c.campaign_id, c.variant, c.placement_key] for c in credits]
        assert found == case[model], model
        assert all(c.model == model for c in credits)


def test_an_unknown_model_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="model must be one of"):
        attribute(Order("o", "v", 0), [], 60, "first_touch")


def test_the_cases_cover_the_documented_edges() -> None:
    names = " ".join(c["name"] for c in CASES)
    for edge in (
        "another visit",
        "after the order",
        "window",
        "duplicates",
        "10,000",
        "ties",
        "skew",
        "view",
    ):
        assert edge in names
