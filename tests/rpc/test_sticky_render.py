"""Consistent messaging through placements.render: sticky picks in Redis with a sliding TTL."""

from __future__ import annotations

from typing import Any

from bff.store.session_decisions import STATE_TTL_S
from tests.rpc.test_placements_render import params


def find_sessions(rpc, count: int, want: dict[str, str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Session ids that land on ``want`` (e.g. a variant) on their first render."""
    found = []
    for i in range(200):
        session = f"session-{i:024d}"
        result = rpc("placements.render", params(locale="en-US", session_id=session))["result"]
        if all(result[k] == v for k, v in want.items()):
            found.append(session)
        if len(found) == count:
            return found
    raise AssertionError(f"no session for {want}")


def test_visit_keeps_variant_and_lead_across_prices_and_placements(rpc, redis_client) -> None:  # type: ignore[no-untyped-def]
    for variant, lead in (("lead-pay-in-4", "pay_in_4"), ("lead-pay-later", "pay_in_30")):
        (session,) = find_sessions(rpc, 1, {"variant": variant})
        seen: list[tuple[Any, ...]] = []
        for key, amount in (("credit-badge", 12900), ("cart-badge", 42000), ("credit-badge", 5000)):
            result = rpc(
                "placements.render",
                params(locale="en-US", session_id=session, placement_key=key, purchase_amount=amount),
            )["result"]
            seen.append((result["campaign_id"], result["variant"], result["lead_option"]))
        assert set(seen) == {("us-lead-test", variant, lead)}
        interstitial = rpc(
            "placements.render", params(locale="en-US", session_id=session, view="interstitial")
        )
        assert interstitial["result"]["options"][0]["id"] == lead
        ttl = redis_client.ttl(f"onsite:{{m:demo}}:session:{session}")
        assert 0 < ttl <= STATE_TTL_S  # 30 minutes + the visit token's lifetime


def test_amounts_are_recomputed_but_the_pick_is_not(rpc) -> None:  # type: ignore[no-untyped-def]
    first = rpc("placements.render", params(purchase_amount=9900))["result"]
    second = rpc("placements.render", params(purchase_amount=24900))["result"]
    assert first["installment"]["formatted"] == "£24.75"
    assert second["installment"]["formatted"] == "£62.25"
    assert first["campaign_id"] == second["campaign_id"]


def test_lead_option_returns_when_the_price_comes_back(rpc) -> None:  # type: ignore[no-untyped-def]
    (session,) = find_sessions(rpc, 1, {"variant": "lead-pay-later"})
    over = rpc("placements.render", params(locale="en-US", session_id=session, purchase_amount=120000))[
        "result"
    ]
    assert over["lead_option"] == "pay_in_4"  # pay in 30 days stops at $1,000.00
    back = rpc("placements.render", params(locale="en-US", session_id=session, purchase_amount=9900))[
        "result"
    ]
    assert back["lead_option"] == "pay_in_30"


def test_price_below_the_range_is_empty_then_the_campaign_returns(rpc) -> None:  # type: ignore[no-untyped-def]
    session = "c" * 32
    assert rpc("placements.render", params(session_id=session))["result"]["campaign_id"] == "gb-pay-in-4"
    low = rpc("placements.render", params(session_id=session, purchase_amount=100))["result"]
    assert low == {
        "kind": "empty",
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "reason": "outside_amount_range",
    }
    assert rpc("placements.render", params(session_id=session))["result"]["campaign_id"] == "gb-pay-in-4"


def test_interstitial_auto_opens_once_per_visit(rpc) -> None:  # type: ignore[no-untyped-def]
    session = "d" * 32
    opens = [
        rpc("placements.render", params(session_id=session, placement_key="learn-more", view="interstitial"))[
            "result"
        ]["auto_open"]
        for _ in range(3)
    ]
    assert opens == [True, False, False]


def test_two_visits_can_differ(rpc) -> None:  # type: ignore[no-untyped-def]
    four = find_sessions(rpc, 1, {"variant": "lead-pay-in-4"})
    later = find_sessions(rpc, 1, {"variant": "lead-pay-later"})
    assert four != later
