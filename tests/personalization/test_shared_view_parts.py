"""Personalized view models built from the cached shopper-independent one (``shared``): the
same result as a build from scratch, and never another shopper's data."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import pytest

from bff.decisions.campaign import parse_campaign
from bff.decisions.decide import PlacementContext, decide
from bff.personalization.merchant_content import Product
from bff.personalization.profile import Profile
from bff.personalization.view_model import PersonalTouch, build_view_model
from tests.rpc.test_placements_render import params

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)

# Variant "a": built-in copy only; "b": merchant copy reading first_name and place in the
# texts the shared view would otherwise lend (title, cta, compact, labels), and one that
# reads neither.
CAMPAIGN = parse_campaign(
    {
        "id": "c1",
        "placements": ["badge", "strip", "interstitial"],
        "markets": {"countries": ["GB", "SE"]},
        "amount": {"currency": "GBP", "min": 1000, "max": 900000},
        "priority": 1,
        "payment_options": [
            {"id": "p4", "type": "pay_in_n", "installments": 4},
            {"id": "p30", "type": "pay_later", "days": 30},
        ],
        "variants": [
            {"id": "a", "weight": 1},
            {
                "id": "b",
                "weight": 1,
                "copy": {
                    "en": {
                        "badge": "{first_name} pays {installment} x {installments}",
                        "title": "Hello {first_name} from {place}",
                        "cta": "Go {first_name}",
                        "compact": "{installment} for {first_name}",
                        "label.total": "Total in {place}",
                        "intro": "Split {total} without a name",
                    }
                },
            },
        ],
    }
)
TOUCHES = [
    PersonalTouch(),
    PersonalTouch(first_name="Ada"),
    PersonalTouch(first_name="<b>Ada</b>{{7*7}}", place="Oslo"),
    PersonalTouch(place="Leeds", delivery=("Next day",)),
    PersonalTouch(
        first_name="Bo",
        place="Lund",
        recommendations=(Product("sku-1", "Lamp", "https://shop.example/lamp", ("home",)),),
        delivery=("Pick-up",),
    ),
]


def contexts() -> list[PlacementContext]:
    base = PlacementContext("m1", "slot", "badge", "en-GB", "GB", "GBP", 9999, "s" * 32)
    return [
        PlacementContext("m1", "slot", kind, "en-GB", "GB", "GBP", amount, f"{n:032x}")
        for kind, amount, n in itertools.product(("badge", "strip"), (9999, 250000), range(6))
    ] + [base]


def test_built_from_the_shared_view_equals_built_from_scratch() -> None:
    cases = 0
    for context, view, touch in itertools.product(contexts(), ("placement", "interstitial"), TOUCHES):
        decision = decide(context, None, [CAMPAIGN], (), NOW)
        shared = build_view_model(context, decision, "default", TODAY, view)
        before = json.dumps(shared, sort_keys=True)
        reused = build_view_model(context, decision, "default", TODAY, view, touch, shared)
        assert reused == build_view_model(context, decision, "default", TODAY, view, touch)
        assert json.dumps(shared, sort_keys=True) == before  # the shared view is never changed
        cases += 1
    assert cases == 25 * 2 * len(TOUCHES)


def test_a_shared_view_of_another_shopper_would_show_through_only_where_nothing_is_personal() -> None:
    """The reuse is real: a planted marker in a personal-free text comes through, and never in
    a text that reads a personal value."""
    context = PlacementContext("m1", "slot", "badge", "en-GB", "GB", "GBP", 9999, "0" * 32)
    for session in (f"{n:032x}" for n in range(12)):
        decision = decide(
            PlacementContext(**{**context.__dict__, "session_id": session}), None, [CAMPAIGN], (), NOW
        )
        if decision.variant is not None and decision.variant.id == "b":
            break
    shared = build_view_model(context, decision, "default", TODAY, "interstitial")
    planted = {
        **shared,
        "intro": "MARK-intro",
        "title": "MARK-title",
        "labels": {**shared["labels"], "total": "MARK"},
    }
    result = build_view_model(context, decision, "default", TODAY, "interstitial", TOUCHES[1], planted)
    assert result["intro"] == "MARK-intro"  # reads nothing personal: reused
    assert result["title"] == "Hello Ada from "  # reads first_name and place: rebuilt
    assert result["labels"]["total"] == "Total in "


def profile(ref: str, first_name: str, city: str) -> Profile:
    return Profile(
        customer_ref=ref, first_name=first_name, locale="en-GB", country="GB", city=city,
        interests=("home",), consent=frozenset({"personalization"}),
    )  # fmt: skip


@pytest.fixture
def shoppers(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Two consented shoppers alike in everything that decides, unlike in name and city."""
    app.extensions["onsite.profiles"].save_many(
        "demo", [profile("ref-one", "Imogen", "Bath"), profile("ref-two", "Tobias", "York")]
    )
    return {"ref-one": "Imogen", "ref-two": "Tobias"}


def render(rpc: Any, token_for: Any, ref: str | None, view: str) -> dict[str, Any]:
    extra: dict[str, Any] = {"view": view, "session_id": "5" * 32}
    if ref is not None:
        extra |= {"customer_token": token_for(ref), "consent": {"personalization": True}}
    result: dict[str, Any] = rpc("placements.render", params(**extra))["result"]
    result.pop("visit_token", None)
    return result


@pytest.mark.parametrize("view", ["placement", "interstitial"])
def test_no_render_carries_another_shoppers_data(app, rpc, token_for, shoppers, view: str) -> None:  # type: ignore[no-untyped-def]
    anonymous = render(rpc, token_for, None, view)
    one = render(rpc, token_for, "ref-one", view)
    two = render(rpc, token_for, "ref-two", view)
    one_again = render(rpc, token_for, "ref-one", view)
    anonymous_again = render(rpc, token_for, None, view)
    assert one["campaign_id"] == two["campaign_id"] == anonymous["campaign_id"]  # one shared key
    assert "Imogen" in json.dumps(one) and "Tobias" in json.dumps(two)
    assert "Imogen" not in json.dumps(two) and "Tobias" not in json.dumps(one)
    assert "Bath" not in json.dumps(two) and "York" not in json.dumps(one)
    assert one_again == one
    assert anonymous_again == anonymous
    for name in ("Imogen", "Tobias", "Bath", "York"):
        assert name not in json.dumps(anonymous_again)
