"""decide() against the named cases in decide_cases.json (tests as data)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bff.decisions.campaign import parse_campaign
from bff.decisions.decide import Decision, Pick, PlacementContext, ShopperProfile, decide

CASES_FILE = Path(__file__).with_name("decide_cases.json")
DATA = json.loads(CASES_FILE.read_text(encoding="utf-8"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in override.items():
        result[key] = (
            merged(result[key], value)
            if isinstance(value, dict) and isinstance(result.get(key), dict)
            else value
        )
    return result


def run_case(case: dict[str, Any]) -> Decision:
    campaigns = [parse_campaign(merged(DATA["base_campaign"], c)) for c in case["campaigns"]]
    context = PlacementContext(**merged(DATA["base_context"], case.get("context", {})))
    raw_profile = case.get("profile")
    profile = (
        ShopperProfile(tuple(raw_profile["interests"]), raw_profile.get("preferred_payment_method"))
        if raw_profile is not None
        else None
    )
    prior = tuple(Pick(*p) for p in case.get("prior", []))
    now = dt.datetime.fromisoformat(case.get("now", DATA["default_now"]))
    return decide(context, profile, campaigns, prior, now)


def observed(decision: Decision) -> dict[str, Any]:
    return {
        "reason": decision.reason,
        "campaign": decision.campaign.id if decision.campaign else None,
        "variant": decision.variant.id if decision.variant else None,
        "lead_option": decision.lead_option.id if decision.lead_option else None,
        "options": [o.id for o in decision.options],
        "auto_open": decision.auto_open,
        "picks": [p.to_json() for p in decision.picks],
    }


def test_decide_case(case: dict[str, Any]) -> None:
    result = observed(run_case(case))
    expected = case["expect"]
    assert {k: result[k] for k in expected} == expected


def test_there_are_at_least_forty_named_cases() -> None:
    names = [c["name"] for c in DATA["cases"]]
    assert len(names) >= 40
    assert len(set(names)) == len(names)


def test_golden_ties_are_not_all_the_same() -> None:
    """The pinned tie-break and variant cases must show both outcomes, or they prove nothing."""
    ties = {c["expect"]["campaign"] for c in DATA["cases"] if c["name"].startswith("priority: a tie")}
    variants = {c["expect"]["variant"] for c in DATA["cases"] if c["name"].startswith("variants: 50/50")}
    assert ties == {"tie-a", "tie-b"}
    assert variants == {"A", "B"}
