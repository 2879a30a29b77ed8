"""Single Redis node vs a 3-master Redis Cluster on loopback, for the render path.

Usage: ``python -m bench.cluster_bench [--profiles 100000] [--calls 3000] [--runs 3]``

Both get the load benchmark's data (50 merchants x 20 campaigns, profiles). Then,
alternating between the two, each run measures:

* ``pipeline``: the render path's read pipeline alone (config version, session GETEX,
  day counter, profile HGET), one client, per call. On the cluster the profile's bucket
  usually lives on another node than the merchant's keys, so the pipeline is split.
* ``render``: placements.render through the app (``create_app`` on that Redis, Flask test
  client, the load benchmark's request mix), per call.

All nodes share this machine's 2 cores, so this shows the client-side cost of the
cluster, not its scale-out (see docs/capacity.md for that arithmetic).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import dataset
from bench.load.servers import redis_server
from bff import create_app
from bff.settings import Settings
from bff.store import keys
from bff.store.connection import connect
from tests.store.local_cluster import LocalCluster


@contextlib.contextmanager
def cluster(directory: Path) -> Iterator[str]:
    local = LocalCluster(directory)
    try:
        yield local.start()
    finally:
        local.stop()


def pipeline_us(client: redis.Redis, profiles: int, calls: int, pseudonym_key: bytes) -> float:
    rng = random.Random(3)
    per = dataset.profiles_per_merchant(profiles)
    started = time.perf_counter()
    for i in range(calls):
        m = rng.randrange(dataset.MERCHANTS)
        merchant = dataset.merchant_id(m)
        digest = keys.ref_digest(pseudonym_key, merchant, f"cust-{m:02d}-{rng.randrange(per):07d}")
        location = keys.profile_location(merchant, digest, dataset.PROFILE_BUCKET_BITS)
        with client.pipeline(transaction=False) as pipe:
            pipe.get(keys.config_version_key(merchant))
            pipe.getex(keys.session_key(merchant, f"s{i:031d}"), ex=1800)
            pipe.get(keys.auto_open_day_key(merchant, f"s{i:031d}", "2026-11-25"))
            pipe.hget(*location)
            pipe.execute()
    return (time.perf_counter() - started) / calls * 1e6


def render_us(app_client: object, lines: list[list[str]], calls: int, offset: int) -> float:
    visits: dict[str, list[str]] = {}
    started = time.perf_counter()
    for i in range(offset, offset + calls):
        kind, agent, merchant, before, after = lines[i % len(lines)]
        sessions = visits.setdefault(merchant, [])
        session = sessions[(i * 31) % len(sessions)] if kind == "back" and sessions else f"s{i:031d}"
        if session not in sessions:
            sessions.append(session)
        response = app_client.post(  # type: ignore[attr-defined]
            "/rpc", data=(before + session + after).encode(),
            headers={"Content-Type": "application/json", "User-Agent": agent},
        )  # fmt: skip
        assert response.status_code == 200 and b'"result"' in response.data, response.data[:300]
    return (time.perf_counter() - started) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        urls = {
            "single": stack.enter_context(redis_server(tmp / "single")),
            "cluster": stack.enter_context(cluster(tmp / "cluster")),
        }
        requests = tmp / "requests.tsv"
        dataset.write_requests(requests, 5000, args.profiles, tmp / "var")  # one server key for both
        lines = [line.rstrip("\n").split("\t") for line in requests.read_text(encoding="utf-8").splitlines()]
        clients, apps = {}, {}
        for name, url in urls.items():
            settings = Settings(redis_url=url, var_dir=tmp / "var", log_level="error")
            clients[name] = connect(settings)[0]
            started = time.perf_counter()
            dataset.load(clients[name], args.profiles, settings.var_dir)
            print(f"{name}: loaded in {time.perf_counter() - started:.1f} s ({url})", flush=True)
            apps[name] = create_app(settings).test_client()
            render_us(apps[name], lines, 500, 0)  # warm: caches, connections to every node
        results: dict[str, dict[str, list[float]]] = {n: {"pipeline": [], "render": []} for n in urls}
        for run in range(args.runs):
            for name in urls:
                key = dataset.pseudonym_key(tmp / f"var-{name}")
                results[name]["pipeline"].append(pipeline_us(clients[name], args.profiles, args.calls, key))
                results[name]["render"].append(
                    render_us(apps[name], lines, args.calls, 1000 + run * args.calls)
                )
    print(f"per call, median of {args.runs} runs x {args.calls} calls (runs in brackets)")
    for what in ("pipeline", "render"):
        single, clustered = (statistics.median(results[n][what]) for n in ("single", "cluster"))
        print(
            f"  {what:9} single {single:7.0f} µs {[round(x) for x in results['single'][what]]}   "
            f"cluster {clustered:7.0f} µs {[round(x) for x in results['cluster'][what]]}   "
            f"ratio {clustered / single:.2f}"
        )


if __name__ == "__main__":
    main()
