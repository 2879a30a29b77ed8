"""Profiles at scale: load N synthetic profiles into a private redis-server and measure.

Usage: ``python bench/profiles_bench.py [N]`` (default 10,000,000). Reports bytes per
profile (Redis INFO used_memory, before and after), load rate, and lookup latency for
single HGETs and for the render path's pipeline (session GETEX + profile HGET).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis

from bff.personalization.profile import Profile
from bff.store import keys
from bff.store.embedded import EmbeddedRedis
from bff.store.profiles import ProfileStore

FIRST = ["Anna", "Lars", "Sofia", "Mateo", "Élodie", "Jan", "Aisha", "Noah", "Mia", "Oskar", "Zofia", "Liam"]
CITIES = [
    ("SE", "Stockholm", "sv-SE"),
    ("GB", "London", "en-GB"),
    ("DE", "Berlin", "de-DE"),
    ("FR", "Paris", "fr-FR"),
    ("PL", "Kraków", "pl-PL"),
    ("US", "Chicago", "en-US"),
    ("NL", "Utrecht", "nl-NL"),
]
INTERESTS = ["home", "garden", "kitchen", "textiles", "lighting", "outdoor", "kids", "fashion"]
METHODS = ["", "pay_in_n", "pay_later", "financing", "card"]
LOOKUPS = 20_000


def synthetic(n: int, seed: int = 1) -> object:
    rng = random.Random(seed)
    today = dt.date(2026, 11, 25)
    for i in range(n):
        country, city, locale = CITIES[i % len(CITIES)]
        yield Profile(
            customer_ref=f"cust-{i:010d}",
            first_name=FIRST[i % len(FIRST)],
            locale=locale,
            country=country,
            city=city,
            postcode=f"{rng.randrange(10000, 99999)}",
            interests=tuple(rng.sample(INTERESTS, rng.randrange(0, 4))),
            preferred_payment_method=METHODS[i % len(METHODS)],
            consent=frozenset({"personalization"}) if i % 3 else frozenset(),
            updated_at=today,
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    bits = max(4, math.ceil(math.log2(count / 80)))
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp))
        client = redis.Redis.from_url(server.start())
        try:
            store = ProfileStore(client, b"bench" * 6, bucket_bits=bits)
            before = client.info("memory")["used_memory"]
            start = time.perf_counter()
            loaded = store.save_many("bench", synthetic(count), batch=5000)  # type: ignore[arg-type]
            load_s = time.perf_counter() - start
            after = client.info("memory")["used_memory"]
            per_profile = (after - before) / loaded
            rng = random.Random(7)
            refs = [f"cust-{rng.randrange(count):010d}" for _ in range(LOOKUPS)]
            single = []
            for ref in refs:
                t = time.perf_counter()
                assert store.get("bench", ref) is not None
                single.append((time.perf_counter() - t) * 1e6)
            piped = []
            for ref in refs:
                t = time.perf_counter()
                with client.pipeline(transaction=False) as pipe:
                    pipe.getex(keys.session_key("bench", "s" * 32), ex=1800)
                    store.queue_read(pipe, "bench", ref)
                    pipe.execute()
                piped.append((time.perf_counter() - t) * 1e6)
            encodings = {
                client.object("encoding", k) for k in client.scan_iter("onsite:profiles:*", count=1000)
            }
        finally:
            client.close()
            server.stop()
    print(
        f"profiles: {loaded:,} in {2**bits:,} buckets ({loaded / 2**bits:.0f} per bucket), "
        f"encodings {encodings}"
    )
    print(f"memory:   {per_profile:.1f} bytes/profile (used_memory {before:,} -> {after:,})")
    print(f"load:     {loaded / load_s:,.0f} profiles/s ({load_s:.1f} s, pipelined HSET, batches of 5000)")
    print(
        f"lookup:   HGET p50 {statistics.median(single):.0f} µs, p99 {percentile(single, 0.99):.0f} µs "
        f"(client round trip over a unix socket, {LOOKUPS:,} random refs)"
    )
    print(
        f"render:   pipeline GETEX+HGET p50 {statistics.median(piped):.0f} µs, "
        f"p99 {percentile(piped, 0.99):.0f} µs"
    )
    projected = per_profile * 100_000_000 / 2**30
    print(f"100M projection: {projected:.1f} GiB of data; see docs/profiles.md for the cluster sizing")


if __name__ == "__main__":
    main()
