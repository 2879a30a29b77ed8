"""decide: placement type, currency and amount range select the campaign, or nothing."""

from __future__ import annotations

import json

import pytest

from bff.decisions.decide import PlacementContext, decide
from bff.decisions.merchant import Merchant, parse_merchant
from bff.settings import DEFAULT_DEMO_DATA


@pytest.fixture
def merchant() -> Merchant:
    """The demo merchant."""
    return parse_merchant(json.loads(DEFAULT_DEMO_DATA.read_text(encoding="utf-8")))


def context(key: str = "credit-badge", amount: int = 9900, currency: str = "GBP") -> PlacementContext:
    return PlacementContext("demo", key, "en-GB", amount, currency, "s" * 32)


@pytest.mark.parametrize(
    ("key", "amount", "currency", "expected_type"),
    [
        ("credit-badge", 9900, "GBP", "badge"),
        ("credit-badge", 3000, "GBP", "badge"),
        ("credit-badge", 125000, "GBP", "badge"),
        ("top-strip", 9900, "GBP", "strip"),
        ("credit-badge", 2999, "GBP", None),
        ("credit-badge", 125001, "GBP", None),
        ("credit-badge", 9900, "JPY", None),
        ("unknown-slot", 9900, "GBP", None),
    ],
)
def test_decide(merchant: Merchant, key: str, amount: int, currency: str, expected_type: str | None) -> None:
    decision = decide(context(key, amount, currency), merchant)
    if expected_type is None:
        assert decision is None
    else:
        assert decision is not None
        assert decision.placement_type == expected_type
        assert decision.campaign.id == "pay-in-4-launch"
