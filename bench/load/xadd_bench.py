"""XADD into the events stream: what one Redis does for the capacity plan (docs/capacity.md).

Usage: ``python -m bench.load.xadd_bench [--entries 50000] [--runs 3]``

Appends realistic ``events.track`` entries through ``bff.monitoring.ingest.stream.append_batch``
(a frame batch of 3 events, with User-Agent and Accept-Language, as the RPC does) to a
private redis-server (TCP loopback, AOF everysec) and reports, medians of ``--runs``:

* entries/s from one client, one XADD per call (as the RPC path does it);
* entries/s from one client pipelining 100 XADDs (what Redis can absorb);
* Redis's own CPU per XADD (``INFO commandstats`` usec_per_call) and the stream's memory
  per entry, which size the Redis node for 96M events/day.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import redis

from bench.load.dataset import USER_AGENTS
from bench.load.servers import redis_server
from bff.monitoring import keys
from bff.monitoring.ingest import stream

EVENTS_PER_ENTRY = 3


def batch(now_ms: int) -> list[dict[str, Any]]:
    return [
        {"id": str(uuid.uuid4()), "type": kind, "ts": now_ms, "client_id": "m07",
         "placement_key": "credit-badge", "session_id": "t01n00000000000000000000000012345", "page_url": "https://shop7.example/p/oak-table",
         "amount": 12900, "currency": "GBP", "locale": "en-GB"}
        for kind in ("impression", "view", "click")[:EVENTS_PER_ENTRY]
    ]  # fmt: skip


def one_by_one(client: redis.Redis, entries: int) -> float:
    events = batch(int(time.time() * 1000))
    agent = USER_AGENTS[0][1]
    started = time.perf_counter()
    for _ in range(entries):
        stream.append_batch(
            client, events, from_frame=True, user_agent=agent, accept_language="en-GB,en;q=0.9"
        )
    return entries / (time.perf_counter() - started)


def pipelined(client: redis.Redis, entries: int, depth: int = 100) -> float:
    events = batch(int(time.time() * 1000))
    agent = USER_AGENTS[0][1]
    started = time.perf_counter()
    for _ in range(entries // depth):
        pipe = client.pipeline(transaction=False)
        for _ in range(depth):
            stream.append_batch(pipe, events, from_frame=True, user_agent=agent, accept_language="en-GB")  # type: ignore[arg-type]
        pipe.execute()
    return entries // depth * depth / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp) / "redis") as url:
        client = redis.Redis.from_url(url)
        single, piped, usec, per_entry = [], [], [], []
        for _ in range(args.runs):
            client.delete(keys.events_stream())
            client.config_resetstat()
            before = client.info("memory")["used_memory"]
            single.append(one_by_one(client, args.entries))
            after = client.info("memory")["used_memory"]
            per_entry.append((after - before) / args.entries)
            usec.append(float(client.info("commandstats")["cmdstat_xadd"]["usec_per_call"]))
            piped.append(pipelined(client, args.entries))
    print(
        f"XADD of one {EVENTS_PER_ENTRY}-event entry, median of {args.runs} runs x {args.entries:,} entries"
    )
    for label, rates in (("one client, one call each: ", single), ("one client, pipelined x100:", piped)):
        print(f"  {label} {statistics.median(rates):9,.0f} entries/s  {[round(x) for x in rates]}")
    print(f"  Redis CPU per XADD:         {statistics.median(usec):9.1f} µs (INFO commandstats)")
    print(f"  stream memory per entry:    {statistics.median(per_entry):9.0f} bytes (used_memory delta)")


if __name__ == "__main__":
    main()
