"""The bound on campaign combos: only a merchant's own campaigns' variants are counted (pure)."""

from __future__ import annotations

from typing import Any

from bff.decisions.campaign import MAX_VARIANTS, parse_campaign
from bff.monitoring.ingest.monitored_campaigns import MAX_MONITORED_CAMPAIGNS, for_stream, monitored_variants


def campaign(campaign_id: str, variants: int = 2, status: str = "active", priority: int = 0) -> Any:
    return parse_campaign({
        "id": campaign_id, "status": status, "priority": priority, "placements": ["badge"],
        "amount": {"currency": "EUR", "min": 0, "max": 100000},
        "payment_options": [{"id": "p4", "type": "pay_in_n", "installments": 4}],
        "variants": [{"id": f"v{i}", "weight": 1} for i in range(variants)],
    })  # fmt: skip


def test_the_variants_of_the_merchants_live_campaigns_are_monitored() -> None:
    found = monitored_variants(
        [campaign("a"), campaign("b", 1, "paused"), campaign("old", status="archived")]
    )
    assert found == {("a", "v0"), ("a", "v1"), ("b", "v0")}


def test_at_most_the_cap_of_campaigns_highest_priority_first() -> None:
    many = [campaign(f"c{i:02d}", MAX_VARIANTS, priority=i % 3) for i in range(MAX_MONITORED_CAMPAIGNS + 5)]
    found = monitored_variants(many)
    assert len({c for c, _ in found}) == MAX_MONITORED_CAMPAIGNS
    assert len(found) == MAX_MONITORED_CAMPAIGNS * MAX_VARIANTS
    assert ("c02", "v0") in found and ("c24", "v0") not in found  # priority 2 kept, priority 0 dropped last


def test_the_stream_copy_drops_a_message_the_merchant_does_not_have() -> None:
    monitored = frozenset({("spring", "A")})
    known = {"type": "click", "campaign_id": "spring", "variant": "A"}
    assert for_stream(known, monitored) is known
    for unknown in ({"campaign_id": "spring", "variant": "Z"}, {"campaign_id": "x" * 60, "variant": "A"},
                    {"campaign_id": "spring"}):  # fmt: skip
        wire = {"type": "click", "client_id": "m"} | unknown
        assert for_stream(wire, monitored) == {"type": "click", "client_id": "m"}
        assert "campaign_id" in wire  # the wire itself (attribution's) is left as it was
    plain = {"type": "session"}
    assert for_stream(plain, frozenset()) is plain
