"""What the rollups' dimensions cost: combos per event, increments, combos per minute (pure).

Draws one minute of a realistic event mix (``--events`` events of ``--merchants`` shops:
per visit 2 views, 2 impressions, a few clicks and dialog opens from the widget, a server
session, some authorizations and orders; 12 browsers, 4 devices, 8 channels, 1-3 countries
per shop, 2 campaigns of 1-2 variants per shop) and counts it with the combinations before
issue #15's dimensions (``BEFORE``: no all-traffic browser, device or channel, no
campaign) and with today's ``COMBINATIONS``, through the real ``aggregation.increments``:

* combos per event and counter increments per event (what a rollup commit writes);
* distinct combos and counter fields of the minute (what the detector reads and tests);
* the time of ``increments`` per event (median of ``--runs``).

Server events join their visit's dimensions (the visit join) in both columns, so only the
combinations differ. Usage: ``python -m bench.monitoring.combos_bench [--events 67000]``
(96M events a day is about 67,000 a minute).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from bff.monitoring.dimensions import COMBINATIONS, Combination, combos_of
from bff.monitoring.rollups.aggregation import CountedEvent, increments

BEFORE: tuple[Combination, ...] = (
    (),
    ("merchant",),
    ("country",),
    ("merchant", "country"),
    ("merchant", "payment_method"),
    ("merchant", "browser"),
    ("merchant", "device"),
    ("merchant", "channel"),
)
BROWSERS = ("Chrome", "Mobile Safari", "Safari", "Chrome Mobile", "Firefox", "Edge", "Samsung Internet",
            "Chrome Mobile iOS", "Opera", "Google", "Firefox Mobile", "Other")  # fmt: skip
BROWSER_WEIGHTS = (30, 25, 10, 12, 5, 6, 4, 3, 1, 2, 1, 1)
DEVICES = {"Mobile Safari": "mobile", "Chrome Mobile": "mobile", "Samsung Internet": "mobile",
           "Chrome Mobile iOS": "mobile", "Google": "mobile", "Firefox Mobile": "tablet"}  # fmt: skip
CHANNELS = ("direct", "search", "paid", "social", "email", "referral", "affiliate", "campaign")
COUNTRIES = ("SE", "DE", "GB", "NL", "FI", "NO", "US", "FR", "ES", "IT")
# per visit: (event type, expected count)
PER_VISIT = (("view", 2.0), ("impression", 2.0), ("click", 0.2), ("interstitial_open", 0.1), ("session", 1.0),
             ("authorization", 0.1), ("order_created", 0.04))  # fmt: skip
WIDGET = ("view", "impression", "click", "interstitial_open")


def minute_of_events(count: int, merchants: int, rng: random.Random) -> list[CountedEvent]:
    """``count`` events of one minute, visit by visit (see the module docstring)."""
    shops = []
    for m in range(merchants):
        countries = rng.sample(COUNTRIES, rng.randint(1, 3))
        campaigns = [(f"c{m}-{k}", [f"v{j}" for j in range(rng.randint(1, 2))]) for k in range(2)]
        shops.append((f"m{m:04d}", countries, campaigns))
    events: list[CountedEvent] = []
    while len(events) < count:
        merchant, countries, campaigns = rng.choice(shops)
        browser = rng.choices(BROWSERS, BROWSER_WEIGHTS)[0]
        visit = {"merchant": merchant, "country": rng.choice(countries), "browser": browser,
                 "device": DEVICES.get(browser, "desktop"), "channel": rng.choice(CHANNELS)}  # fmt: skip
        campaign, variants = rng.choice(campaigns)
        message = {"campaign": campaign, "variant": rng.choice(variants)}
        for kind, mean in PER_VISIT:
            for _ in range(int(mean) + (rng.random() < mean - int(mean))):
                values = dict(visit)
                if kind in WIDGET or (kind == "order_created" and rng.random() < 0.7):
                    values |= message  # an order counts under its last touch's variant
                if kind in ("authorization", "order_created"):
                    values["payment_method"] = rng.choice(("pay_in_4", "pay_later", "financing"))
                counters = (kind, "authorization_success") if kind == "authorization" else (kind,)
                events.append(CountedEvent(f"e{len(events)}", 60_000_000, values, counters))
    return events[:count]


def measure(events: list[CountedEvent], combinations: tuple[Combination, ...], runs: int) -> dict[str, float]:
    """Combos and increments per event, distinct combos and fields, and ``increments``' time."""
    combos = [len(combos_of(e.values, combinations)) for e in events]
    counts = increments(events, combinations)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        increments(events, combinations)
        timings.append(time.perf_counter() - started)
    fields = {field for _, _, field in counts}
    return {
        "combos_per_event": round(statistics.mean(combos), 2),
        "increments_per_event": round(sum(counts.values()) / len(events), 2),
        "distinct_combos": len({field.rpartition("#")[0] for field in fields}),
        "distinct_fields": len(fields),
        "cross_merchant_combos": len({f.rpartition("#")[0] for _, b, f in counts if b == "*"}),
        "increments_us_per_event": round(statistics.median(timings) / len(events) * 1e6, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=67_000)
    parser.add_argument("--merchants", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    events = minute_of_events(args.events, args.merchants, random.Random(15))
    before, after = measure(events, BEFORE, args.runs), measure(events, COMBINATIONS, args.runs)
    print(
        json.dumps(
            {"events": len(events), "merchants": args.merchants, "before": before, "after": after}, indent=2
        )
    )


if __name__ == "__main__":
    main()
