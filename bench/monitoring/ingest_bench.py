"""Ingest throughput through the stream into rollups (events/s; median of several runs).

Fills the events stream with ``--events`` realistic events (batches of 100, as
``events.track`` appends them: 200 merchants, frame and server events, a few user
agents), then starts ``--workers`` ``flask monitor run`` processes and measures the time
from the first entry read to the stream being drained (everything counted and acknowledged).
Usage: ``python -m bench.monitoring.ingest_bench [--events 200000] [--workers 2] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis

from bff.monitoring import keys
from bff.monitoring.ingest import stream
from bff.settings import PROJECT_DIR
from bff.store.embedded import EmbeddedRedis

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
]


def fill(client: redis.Redis, events: int) -> None:
    now = int(time.time() * 1000)
    for b in range(events // 100):
        merchant = f"m{b % 200:03d}"
        if b % 4:
            batch = [
                {
                    "id": uuid.uuid4().hex,
                    "type": ("impression", "view", "click")[i % 3],
                    "client_id": merchant,
                    "ts": now,
                    "placement_key": "badge",
                    "locale": "sv-SE",
                }
                for i in range(100)
            ]
            stream.append_batch(
                client, batch, from_frame=True, user_agent=AGENTS[b % 3], accept_language="sv-SE"
            )
        else:
            batch = [
                {
                    "id": uuid.uuid4().hex,
                    "type": "authorization",
                    "client_id": merchant,
                    "ts": now,
                    "outcome": "success",
                    "payment_method": "pay_in_4",
                    "country": "SE",
                    "user_agent": AGENTS[i % 3],
                }
                for i in range(100)
            ]
            stream.append_batch(client, batch, from_frame=False, user_agent=None, accept_language=None)


def one_run(url: str, var: Path, events: int, workers: int) -> float:
    client = redis.Redis.from_url(url)
    client.flushall()
    fill(client, events)
    stream.ensure_group(client)
    env = {
        **os.environ,
        "REDIS_URL": url,
        "VAR_DIR": str(var),
        "ONSITE_LOG_LEVEL": "warning",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "bff",
                "monitor",
                "run",
                "--consumer",
                f"w{i}",
                "--batch",
                "100",
                "--max-seconds",
                "300",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(workers)
    ]
    try:
        started = None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            group = client.xinfo_groups(keys.events_stream())[0]
            if started is None and int(group["entries-read"] or 0) > 0:
                started = time.monotonic()
            if started is not None and int(group["lag"] or 0) == 0 and int(group["pending"]) == 0:
                return time.monotonic() - started
            time.sleep(0.01)
        raise RuntimeError("the workers did not drain the stream in time")
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp())
    server = EmbeddedRedis(var / "redis")
    url = server.start()
    try:
        times = [one_run(url, var, args.events, args.workers) for _ in range(args.runs)]
    finally:
        server.stop()
    median = statistics.median(times)
    print(
        json.dumps(
            {
                "events": args.events,
                "workers": args.workers,
                "runs": args.runs,
                "drain_s_median": round(median, 2),
                "events_per_s_median": round(args.events / median),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
