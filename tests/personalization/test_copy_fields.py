"""Copy names and placeholders: each allowed placeholder is one the view model really passes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bff.decisions.campaign import OPTION_TYPES, parse_campaign
from bff.decisions.decide import PlacementContext, decide
from bff.personalization.catalogue import CATALOGUE
from bff.personalization.copy_fields import OPTION_TYPES as FIELD_OPTION_TYPES
from bff.personalization.copy_fields import PLACEHOLDERS
from bff.personalization.merchant_content import Product
from bff.personalization.view_model import PersonalTouch, build_view_model

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
OPTIONS = {
    "pay_in_n": {"id": "p4", "type": "pay_in_n", "installments": 4},
    "pay_later": {"id": "p30", "type": "pay_later", "days": 30},
    "financing": {"id": "f12", "type": "financing", "months": 12, "apr": 19.9},
}
PERSONAL = PersonalTouch(
    first_name="Anna",
    place="London",
    recommendations=(Product("sku-1", "Cushion", "https://shop.example/c", ("home",)),),
    delivery=("Next-day delivery",),
)


def test_option_types_match_the_campaign_model() -> None:
    assert FIELD_OPTION_TYPES == OPTION_TYPES


def test_every_builtin_text_is_a_known_name() -> None:
    assert set(CATALOGUE["en"]) <= set(PLACEHOLDERS)


def rendered_strings(name: str, text: str) -> str:
    """Every view of a campaign whose only copy is ``name``, for each lead option type."""
    out = []
    for lead in OPTION_TYPES:
        campaign = parse_campaign(
            {
                "id": "c1",
                "placements": ["badge", "strip", "interstitial"],
                "amount": {"currency": "GBP", "min": 0, "max": 10**6},
                "payment_options": [OPTIONS[lead], *(o for t, o in OPTIONS.items() if t != lead)],
                "copy": {"en": {name: text}},
            }
        )
        for kind, view in (("badge", "placement"), ("strip", "placement"), ("interstitial", "interstitial")):
            ctx = PlacementContext("m", "slot", kind, "en-GB", "GB", "GBP", 50000, "s" * 32)
            decision = decide(ctx, None, [campaign], (), NOW)
            out.append(json.dumps(build_view_model(ctx, decision, "default", TODAY, view, PERSONAL)))
    return "\n".join(out)


@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_a_text_with_every_allowed_placeholder_is_rendered_not_replaced(name: str) -> None:
    # A placeholder the view model does not pass would make the render fall back to the
    # built-in text, and the marker would be missing.
    marker = f"[{name}]"
    text = marker + " ".join(f"{{{placeholder}}}" for placeholder in sorted(PLACEHOLDERS[name]))
    assert marker in rendered_strings(name, text)
