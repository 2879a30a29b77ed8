"""decide() per call with 10 / 100 / 1,000 active campaigns for one merchant.

Campaigns differ in market, amount range, audience and priority, so that the engine
filters for real; every call uses another session. Prints the median of 7 runs.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bff.decisions.campaign import Campaign, parse_campaign
from bff.decisions.campaign_set import CampaignSet
from bff.decisions.decide import PlacementContext, ShopperProfile, decide

RUNS = 7
CALLS = 2_000
COUNTRIES = ["GB", "DE", "SE", "US", "FR"]
CURRENCY = {"GB": "GBP", "DE": "EUR", "SE": "SEK", "US": "USD", "FR": "EUR"}
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def campaigns(count: int) -> list[Campaign]:
    result = []
    for i in range(count):
        country = COUNTRIES[i % len(COUNTRIES)]
        result.append(
            parse_campaign(
                {
                    "id": f"c{i}",
                    "placements": ["badge", "strip"],
                    "markets": {"countries": [country]},
                    "amount": {
                        "currency": CURRENCY[country],
                        "min": 1000 * (i % 7),
                        "max": 200_000 + 1000 * i,
                    },
                    "schedule": {"timezone": "Europe/Berlin", "start": "2026-01-01T00:00"},
                    "audience": {"devices": ["mobile", "desktop"]} if i % 3 else {},
                    "priority": i % 10,
                    "variants": [
                        {"id": "a", "weight": 50, "lead_option": "p4"},
                        {"id": "b", "weight": 50, "lead_option": "p30"},
                    ],
                    "payment_options": [
                        {"id": "p4", "type": "pay_in_n", "installments": 4, "max": 150_000},
                        {"id": "p30", "type": "pay_later", "days": 30, "max": 100_000},
                        {"id": "f12", "type": "financing", "months": 12, "apr": 19.9, "min": 20_000},
                    ],
                }
            )
        )
    return result


def per_call_us(count: int, indexed: bool) -> float:
    pool: CampaignSet | list[Campaign] = CampaignSet(campaigns(count)) if indexed else campaigns(count)
    contexts = [
        PlacementContext("m", "credit-badge", "badge", "en-GB", "GB", "GBP", 9900 + i, f"session-{i:020d}")
        for i in range(CALLS)
    ]
    profile = ShopperProfile(interests=("home",))
    start = time.perf_counter()
    for context in contexts:
        decide(context, profile, pool, (), NOW)
    return (time.perf_counter() - start) / CALLS * 1e6


def main() -> None:
    print(f"decide() per call, median of {RUNS} runs x {CALLS} calls")
    print("  campaigns  CampaignSet (render path)  plain list (indexed per call)")
    for count in (10, 100, 1_000):
        indexed = statistics.median(per_call_us(count, True) for _ in range(RUNS))
        plain = statistics.median(per_call_us(count, False) for _ in range(RUNS))
        print(f"  {count:>9}  {indexed:20.1f} µs  {plain:24.1f} µs")


if __name__ == "__main__":
    main()
