"""Personalized view models: built from scratch vs from the cached shopper-independent one.

Usage: ``python -m bench.load.personal_view [--runs 7] [--number 300]``

The demo merchant's badge and interstitial (en-GB, 99.00), a consented shopper with a name,
a city, 2 recommendations and a delivery option. Both ways run alternately in the same
process; each figure is the median of ``--runs`` timings of ``--number`` builds. Prints one
JSON line (µs per build, and the ratio).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import timeit
from pathlib import Path
from typing import Any

from bff import create_app
from bff.decisions.decide import PlacementContext, decide
from bff.personalization.view_model import PersonalTouch, build_view_model
from bff.settings import Settings
from bff.store.embedded import EmbeddedRedis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--number", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp) / "redis")
        server.start()
        try:
            settings = Settings(
                redis_url=server.url, var_dir=Path(tmp) / "var", testing=True, log_level="warning"
            )
            config = create_app(settings).extensions["onsite.merchants"].load("demo")
        finally:
            server.stop()
    assert config is not None
    now = dt.datetime.now(dt.UTC)
    touch = PersonalTouch("Anna", "London", tuple(config.catalogue[:2]), ("Next-day delivery",))
    context = PlacementContext("demo", "credit-badge", "badge", "en-GB", "GB", "GBP", 9900, "a" * 32)
    decision = decide(context, None, config.campaigns, (), now)
    result: dict[str, Any] = {}
    for view in ("placement", "interstitial"):
        shared = build_view_model(context, decision, "default", now.date(), view)
        ways = {
            "scratch": lambda v=view: build_view_model(context, decision, "default", now.date(), v, touch),
            "shared": lambda v=view, s=shared: build_view_model(
                context, decision, "default", now.date(), v, touch, s
            ),
        }
        assert ways["scratch"]() == ways["shared"]()
        timings: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.runs):
            for name, build in ways.items():
                timings[name].append(timeit.timeit(build, number=args.number) / args.number * 1e6)
        medians = {name: round(statistics.median(t), 1) for name, t in timings.items()}
        result[view] = medians | {"scratch/shared": round(medians["scratch"] / medians["shared"], 2)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
