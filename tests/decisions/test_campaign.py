"""Campaign validation: every problem is reported with its field path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bff.decisions.campaign import CampaignInvalid, parse_campaign
from bff.settings import DEFAULT_DEMO_CAMPAIGNS

VALID = {
    "id": "c1",
    "placements": ["badge"],
    "amount": {"currency": "EUR", "min": 1000, "max": 100000},
    "payment_options": [{"id": "p4", "type": "pay_in_n", "installments": 4}],
}


def problems(doc: Any) -> list[str]:
    with pytest.raises(CampaignInvalid) as raised:
        parse_campaign(doc)
    return [p["path"] for p in raised.value.problems]


def test_shipped_demo_campaigns_are_valid() -> None:
    for doc in json.loads(DEFAULT_DEMO_CAMPAIGNS.read_text(encoding="utf-8")):
        assert parse_campaign(doc).id == doc["id"]


def test_minimal_campaign_has_safe_defaults() -> None:
    campaign = parse_campaign(VALID)
    assert campaign.status == "active"
    assert [v.id for v in campaign.variants] == ["control"]
    assert campaign.frequency_cap is None
    assert campaign.schedule.start is None


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"id": "no spaces"}, "id"),
        ({"placements": []}, "placements"),
        ({"placements": ["popup"]}, "placements[0]"),
        ({"status": "live"}, "status"),
        ({"markets": {"countries": ["se"]}}, "markets.countries[0]"),
        ({"markets": {"locales": ["en_GB"]}}, "markets.locales[0]"),
        ({"amount": {"currency": "EUR", "min": 10, "max": 5}}, "amount"),
        ({"amount": {"currency": "EUR", "min": -1, "max": 5}}, "amount.min"),
        ({"amount": {"currency": "EUR", "min": "10", "max": 5}}, "amount.min"),
        ({"schedule": {"timezone": "Mars/Olympus"}}, "schedule.timezone"),
        ({"schedule": {"start": "2026-12-01T00:00+01:00"}}, "schedule.start"),
        ({"schedule": {"start": "2027-01-01T00:00", "end": "2026-01-01T00:00"}}, "schedule"),
        ({"audience": {"shopper": "loyal"}}, "audience.shopper"),
        ({"audience": {"devices": ["watch"]}}, "audience.devices[0]"),
        ({"audience": {"page_types": ["blog"]}}, "audience.page_types[0]"),
        ({"audience": {"interests": [""]}}, "audience.interests[0]"),
        ({"priority": "high"}, "priority"),
        ({"priority": True}, "priority"),
        ({"variants": [{"id": "a", "weight": 0}]}, "variants[0].weight"),
        ({"variants": [{"id": "a", "weight": 1, "lead_option": "nope"}]}, "variants[0].lead_option"),
        ({"variants": [{"id": "a", "weight": 1}, {"id": "a", "weight": 1}]}, "variants[1].id"),
        ({"variants": [{"id": f"v{i}", "weight": 1} for i in range(11)]}, "variants"),  # MAX_VARIANTS
        ({"frequency_cap": {"per_session": -1, "per_day": 1}}, "frequency_cap.per_session"),
        ({"payment_options": []}, "payment_options"),
        ({"payment_options": [{"id": "x", "type": "loan"}]}, "payment_options[0].type"),
        ({"payment_options": [{"id": "f", "type": "financing", "months": 12}]}, "payment_options[0].apr"),
        (
            {"payment_options": [{"id": "f", "type": "financing", "months": 99, "apr": 9}]},
            "payment_options[0].months",
        ),
        (
            {"payment_options": [{"id": "f", "type": "financing", "months": 12, "apr": 120}]},
            "payment_options[0].apr",
        ),
        (
            {"payment_options": [{"id": "p", "type": "pay_later", "days": 30, "min": 9, "max": 1}]},
            "payment_options[0]",
        ),
        ({"copy": {"english": {"badge": "x"}}}, "copy.english"),
        ({"copy": {"en": {"badge": ""}}}, "copy.en.badge"),
    ],
)
def test_each_problem_names_its_path(change: dict[str, Any], path: str) -> None:
    assert path in problems({**VALID, **change})


def test_all_problems_are_reported_together() -> None:
    found = problems({**VALID, "id": "bad id", "priority": "x", "placements": ["nope"]})
    assert {"id", "priority", "placements[0]"} <= set(found)


def test_not_an_object() -> None:
    assert problems(["a"]) == ["document"]
