"""The view model cache: shopper-independent view models are built once and never go stale."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from typing import Any

from bff.decisions.campaign import parse_campaign
from bff.decisions.decide import PlacementContext, decide
from bff.personalization.view_cache import ViewCache, view_key
from bff.personalization.view_model import build_view_model
from tests.rpc.test_placements_render import params

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def test_builds_once_per_key_and_reports_hits() -> None:
    seen: list[bool] = []
    cache = ViewCache(observe=seen.append)
    built: list[str] = []

    def build(name: str) -> dict[str, Any]:
        built.append(name)
        return {"name": name}

    assert cache.get(("a",), lambda: build("a")) == {"name": "a"}
    assert cache.get(("a",), lambda: build("again")) == {"name": "a"}
    assert cache.get(("b",), lambda: build("b")) == {"name": "b"}
    assert built == ["a", "b"]
    assert seen == [False, True, False]


def test_a_full_cache_evicts_the_least_recently_used_and_stays_bounded() -> None:
    cache = ViewCache(max_entries=3)
    for n in range(10):
        cache.get((n,), lambda n=n: {"n": n})  # type: ignore[misc]
        cache.get((0,), lambda: {"n": "rebuilt"})  # used every time: never evicted
    assert len(cache) == 3
    assert cache.get((9,), lambda: {"n": "rebuilt"}) == {"n": 9}
    assert cache.get((0,), lambda: {"n": "rebuilt"}) == {"n": 0}
    assert cache.get((7,), lambda: {"n": "rebuilt"}) == {"n": "rebuilt"}


CAMPAIGN = parse_campaign(
    {
        "id": "c1",
        "placements": ["badge", "strip", "interstitial"],
        "markets": {"countries": ["GB", "DE", "SE"]},
        "amount": {"currency": "GBP", "min": 1000, "max": 900000},
        "priority": 1,
        "payment_options": [
            {"id": "p4", "type": "pay_in_n", "installments": 4},
            {"id": "p30", "type": "pay_later", "days": 30},
        ],
        "variants": [
            {"id": "a", "weight": 1},
            {"id": "b", "weight": 1, "copy": {"en": {"badge": "B {total}"}}},
        ],
    }
)


def test_the_key_holds_every_input_that_changes_the_view_model() -> None:
    """Vary each input alone: whenever the view model differs, the key must differ too."""
    base = PlacementContext("m1", "slot", "badge", "en-GB", "GB", "GBP", 9999, "s" * 32)
    contexts = [
        base,
        replace(base, placement_key="other"),
        replace(base, locale="de-DE"),
        replace(base, currency="EUR"),
        replace(base, purchase_amount=12000),
        replace(base, placement_type="strip"),
        *(replace(base, session_id=f"{n:032x}") for n in range(6)),  # other variants
    ]
    cases = []
    for context, theme, today, view, version in itertools.product(
        contexts,
        ("default", "dark"),
        (TODAY, TODAY + dt.timedelta(days=1)),
        ("placement", "interstitial"),
        (1, 2),
    ):
        decision = decide(context, None, [CAMPAIGN], (), NOW)
        model = build_view_model(context, decision, theme, today, view)
        cases.append((view_key(version, context, decision, theme, today, view), model))
    by_key: dict[Any, dict[str, Any]] = {}
    for key, model in cases:
        assert by_key.setdefault(key, model) == model, key
    assert len({c[0] for c in cases}) > 100  # the variation above really reached the key


def test_renders_share_a_view_until_the_campaign_changes(app, rpc, admin_rpc) -> None:  # type: ignore[no-untyped-def]
    lookups: list[bool] = []
    app.extensions["onsite.renderer"].views.observe = lookups.append
    first = rpc("placements.render", params(session_id="a" * 32))["result"]
    second = rpc("placements.render", params(session_id="b" * 32))["result"]
    # The view is shared; the visit token (bff/visit_token.py) is each visit's own.
    assert second.pop("visit_token") != first.pop("visit_token")
    assert second == first
    assert lookups == [False, True]

    campaign = admin_rpc("campaigns.get", {"campaign_id": "gb-pay-in-4"})["result"]
    campaign["copy"] = {"en": {"badge": "Now {installments} × {installment}"}}
    version = campaign.pop("version", None)
    for field in ("status", "created_at", "updated_at"):
        campaign.pop(field, None)
    updated = admin_rpc("campaigns.update", {"campaign": campaign, "version": version})
    assert "result" in updated, updated
    third = rpc("placements.render", params(session_id="c" * 32))["result"]
    assert third["campaign_id"] == first["campaign_id"] and third["variant"] == first["variant"]
    assert third["text"] == "Now 4 × £24.75"


def test_personalized_renders_are_not_cached(app, rpc, token_for) -> None:  # type: ignore[no-untyped-def]
    lookups: list[bool] = []
    app.extensions["onsite.renderer"].views.observe = lookups.append
    consented = params(customer_token=token_for("demo-anna"), consent={"personalization": True})
    rpc("placements.render", consented | {"session_id": "d" * 32})
    rpc("placements.render", consented | {"session_id": "e" * 32})
    assert lookups == []
