"""Ingest throughput through the stream into rollups (events/s; median of several runs).

Fills the events stream with ``--events`` realistic events (batches of 100, as
``events.track`` appends them: 200 merchants, frame and server events, a few user
agents), then starts ``--workers`` ``flask monitor run`` processes and measures the time
from the first entry read to every partition being drained (everything counted and
acknowledged). ``--partitions 1 2 4`` runs each partition count in turn (side by side in
the output; workers default to one per partition), on a private redis-server or, with
``--cluster``, on a private 3-master Redis Cluster (``tests/store/local_cluster.py``).
Usage: ``python -m bench.monitoring.ingest_bench [--events 200000] [--partitions 1 2 4]
[--workers N] [--runs 3] [--cluster]``.
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
from bff.monitoring.partition_layout import set_partition_count
from bff.settings import PROJECT_DIR
from bff.store.connection import connect_cluster
from bff.store.embedded import EmbeddedRedis
from tests.store.local_cluster import LocalCluster

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


def one_run(url: str, client: redis.Redis, var: Path, events: int, partitions: int, workers: int) -> float:
    for node in _nodes(client):
        node.flushall()
    set_partition_count(client, partitions)
    fill(client, events)
    stream.ensure_group(client)
    env = {
        **os.environ,
        "REDIS_URL": url,
        "VAR_DIR": str(var),
        "ONSITE_LOG_LEVEL": "warning",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "bff",
        "monitor",
        "run",
        "--batch",
        "100",
        "--max-seconds",
        "300",
    ]
    procs = [
        subprocess.Popen(
            [*command, "--consumer", f"w{i}"],
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
            groups = [client.xinfo_groups(keys.events_stream(p))[0] for p in range(partitions)]
            if started is None and any(int(g["entries-read"] or 0) > 0 for g in groups):
                started = time.monotonic()
            if started is not None and all(
                int(g["lag"] or 0) == 0 and int(g["pending"]) == 0 for g in groups
            ):
                return time.monotonic() - started
            time.sleep(0.01)
        raise RuntimeError("the workers did not drain the stream in time")
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)


def _drained(group: dict[str, object]) -> bool:
    return int(str(group["lag"] or 0)) == 0 and int(str(group["pending"])) == 0


def _nodes(client: redis.Redis) -> list[redis.Redis]:
    get_nodes = getattr(client, "get_nodes", None)
    if get_nodes is None:
        return [client]
    return [node.redis_connection for node in get_nodes() if node.redis_connection is not None]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, nargs="+", default=[1])
    parser.add_argument("--workers", type=int, default=0, help="0: one per partition")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cluster", action="store_true", help="a private 3-master Redis Cluster")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp())
    server: EmbeddedRedis | LocalCluster
    if args.cluster:
        server = LocalCluster(var / "cluster")
        server.start()
        url = server.url
        client = connect_cluster(url, 30.0)
    else:
        server = EmbeddedRedis(var / "redis")
        url = server.start()
        client = redis.Redis.from_url(url)
    results = []
    try:
        for partitions in args.partitions:
            workers = args.workers or partitions
            times = [one_run(url, client, var, args.events, partitions, workers) for _ in range(args.runs)]
            median = statistics.median(times)
            results.append({"partitions": partitions, "workers": workers, "runs": args.runs,
                            "drain_s": [round(t, 2) for t in times], "drain_s_median": round(median, 2),
                            "events_per_s_median": round(args.events / median)})  # fmt: skip
    finally:
        client.close()
        server.stop()
    setup = {
        "events": args.events,
        "redis": "3-master cluster" if args.cluster else "single",
        "load": os.getloadavg(),
    }
    print(json.dumps({"setup": setup, "results": results}, indent=2))


if __name__ == "__main__":
    main()
