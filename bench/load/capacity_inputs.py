"""Inputs of the capacity plan that the wrk runs do not give directly (docs/capacity.md).

Usage: ``python -m bench.load.capacity_inputs [--calls 3000] [--runs 3]``

In one process (Flask test client, so no HTTP server cost; ``time.process_time``, so CPU
and not wall time, which neighbours on a shared machine would inflate), medians of
``--runs``:

* CPU per ``placements.render`` call (the load benchmark's mix) and per ``events.track``
  call (a frame batch of 3 events), app side only;
* Redis memory per live visit (the session key written by a render) and per identified
  shopper's session index, by ``MEMORY USAGE`` over a sample of keys.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import redis

from bench.load import dataset
from bench.load.servers import redis_server
from bff import create_app
from bff.settings import Settings

PROFILES = 20_000


def render_cpu_us(
    client: Any, lines: list[list[str]], calls: int, offset: int, visits: dict[str, list[str]]
) -> float:
    started = time.process_time()
    for i in range(offset, offset + calls):
        kind, agent, visit, before, after = lines[i % len(lines)]
        sessions = visits.setdefault(visit, [])
        session = sessions[(i * 31) % len(sessions)] if kind == "back" and sessions else f"c{i:031d}"
        if session not in sessions:
            sessions.append(session)
        response = client.post("/rpc", data=(before + session + after).encode(),
                               headers={"Content-Type": "application/json", "User-Agent": agent})  # fmt: skip
        assert b'"result"' in response.data, response.data[:200]
    return (time.process_time() - started) / calls * 1e6


def events_cpu_us(client: Any, calls: int) -> float:
    started = time.process_time()
    for i in range(calls):
        now = int(time.time() * 1000)
        events = [
            {"id": str(uuid.uuid4()), "type": kind, "ts": now, "client_id": "m03",
             "placement_key": "credit-badge", "session_id": f"c{i:031d}", "page_url": "https://shop3.example/p/oak-table"}
            for kind in ("impression", "view", "click")
        ]  # fmt: skip
        body = {"jsonrpc": "2.0", "method": "events.track", "params": {"events": events}}
        response = client.post("/rpc", data=json.dumps(body), headers={"Content-Type": "application/json",
                               "User-Agent": dataset.USER_AGENTS[0][1]})  # fmt: skip
        assert response.status_code in (200, 204), response.data[:200]
    return (time.process_time() - started) / calls * 1e6


def key_bytes(client: redis.Redis, pattern: str, sample: int = 500) -> float:
    found = list(client.scan_iter(pattern, count=1000))
    chosen = random.Random(1).sample(found, min(sample, len(found)))
    return statistics.mean(int(client.memory_usage(key) or 0) for key in chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name, redis_server(Path(tmp_name) / "redis") as url:
        tmp = Path(tmp_name)
        redis_client = redis.Redis.from_url(url)
        dataset.load(redis_client, PROFILES, tmp / "var")
        requests = tmp / "requests.tsv"
        dataset.write_requests(requests, 5000, PROFILES, tmp / "var")
        lines = [line.rstrip("\n").split("\t") for line in requests.read_text(encoding="utf-8").splitlines()]
        app = create_app(Settings(redis_url=url, var_dir=tmp / "var", log_level="error"))
        client = app.test_client()
        visits: dict[str, list[str]] = {}
        render_cpu_us(client, lines, 500, 0, visits)
        renders, events = [], []
        for run in range(args.runs):
            renders.append(render_cpu_us(client, lines, args.calls, 500 + run * args.calls, visits))
            events.append(events_cpu_us(client, args.calls // 3))
        per_session = key_bytes(redis_client, "onsite:{m:*}:session:*")
        per_ref_index = key_bytes(redis_client, "onsite:{m:*}:ref-sessions:*")
    print(f"app CPU per call (test client, no HTTP server), median of {args.runs} runs")
    print(f"  placements.render: {statistics.median(renders):6.0f} µs  {[round(x) for x in renders]}")
    print(f"  events.track (3 events): {statistics.median(events):6.0f} µs  {[round(x) for x in events]}")
    print(f"Redis memory per live visit (session key): {per_session:.0f} bytes")
    print(f"Redis memory per identified shopper's session index (ref-sessions): {per_ref_index:.0f} bytes")


if __name__ == "__main__":
    main()
