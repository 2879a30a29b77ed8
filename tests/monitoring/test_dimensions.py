"""The combinations the rollups count and their keys (pure: no server)."""

from __future__ import annotations

from collections import Counter

from bff.monitoring.dimensions import bucket_of, combo_key, combos_of, describe, is_ancestor, parse_combo
from bff.monitoring.rollups.aggregation import CountedEvent, increments

WIDGET = {"merchant": "acme", "country": "SE", "browser": "Firefox", "device": "desktop", "channel": "search",
          "campaign": "spring", "variant": "B"}  # fmt: skip


def test_a_widget_event_of_a_campaign_counts_in_twelve_combos() -> None:
    assert combos_of(WIDGET) == [
        "*",
        "merchant=acme",
        "country=SE",
        "browser=Firefox",
        "device=desktop",
        "channel=search",
        "merchant=acme|country=SE",
        "merchant=acme|browser=Firefox",
        "merchant=acme|device=desktop",
        "merchant=acme|channel=search",
        "merchant=acme|campaign=spring",
        "merchant=acme|campaign=spring|variant=B",
    ]


def test_an_event_counts_only_in_the_combinations_whose_dimensions_it_has() -> None:
    server = {"merchant": "acme", "country": "SE", "channel": "direct", "payment_method": "pay_in_4"}
    assert combos_of(server) == [
        "*", "merchant=acme", "country=SE", "channel=direct",
        "merchant=acme|country=SE", "merchant=acme|payment_method=pay_in_4", "merchant=acme|channel=direct",
    ]  # fmt: skip
    campaign_without_variant = {"merchant": "acme", "campaign": "spring"}
    assert combos_of(campaign_without_variant) == ["*", "merchant=acme", "merchant=acme|campaign=spring"]


def test_all_traffic_combos_are_cross_merchant_and_campaign_combos_the_merchants() -> None:
    buckets = {combo: bucket_of(combo) for combo in combos_of(WIDGET)}
    assert [c for c, b in buckets.items() if b == "*"] == [
        "*", "country=SE", "browser=Firefox", "device=desktop", "channel=search",
    ]  # fmt: skip
    assert set(buckets.values()) == {"*", "acme"}


def test_a_variant_combo_reads_as_a_sentence_and_sits_below_its_campaign_and_merchant() -> None:
    variant = combo_key(WIDGET, ("variant", "campaign", "merchant"))  # key order is DIMENSIONS'
    assert variant == "merchant=acme|campaign=spring|variant=B"
    assert parse_combo(variant) == {"merchant": "acme", "campaign": "spring", "variant": "B"}
    assert describe(variant) == "merchant acme, campaign spring, variant B"
    assert is_ancestor("merchant=acme|campaign=spring", variant) and is_ancestor("merchant=acme", variant)
    assert not is_ancestor("merchant=acme|campaign=autumn", variant)


def test_increments_count_each_event_in_each_of_its_combos_and_counters() -> None:
    other = WIDGET | {"browser": "Chrome", "variant": "A"}
    events = [
        CountedEvent("a", 60_000, WIDGET, ("impression",)),
        CountedEvent("b", 61_000, WIDGET, ("impression",)),  # same minute and values
        CountedEvent("c", 120_000, WIDGET, ("impression",)),  # next minute
        CountedEvent("d", 60_000, WIDGET, ("click",)),  # same values, another counter
        CountedEvent("e", 60_000, other, ("impression",)),
    ]
    expected: Counter = Counter()  # type: ignore[type-arg]
    for event in events:
        for combo in combos_of(event.values):
            for counter in event.counters:
                expected[(event.received_ms // 60_000, bucket_of(combo), f"{combo}#{counter}")] += 1
    found = increments(events)
    assert found == expected
    assert found[(1, "*", "browser=Firefox#impression")] == 2
    assert found[(1, "acme", "merchant=acme|campaign=spring#impression")] == 3
    assert found[(1, "acme", "merchant=acme|campaign=spring|variant=A#impression")] == 1


def test_the_all_traffic_browser_device_and_channel_are_counted_but_not_tested() -> None:
    from bff.monitoring.dimensions import COMBINATIONS, UNTESTED_COMBINATIONS, is_tested

    assert set(COMBINATIONS) >= UNTESTED_COMBINATIONS
    for key in ("browser=Firefox", "device=mobile", "channel=direct"):
        assert not is_tested(key)
    for key in ("*", "country=SE", "merchant=acme", "merchant=acme|browser=Firefox", "merchant=a|campaign=c"):
        assert is_tested(key)
