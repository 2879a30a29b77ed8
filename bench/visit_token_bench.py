"""Returning-visit renders with and without the visit token, side by side in one run.

Usage: ``python -m bench.visit_token_bench [--rounds 5] [--calls 1000]``

One process, the demo merchant, the app's own embedded redis-server (unix socket), the
Flask test client (the whole JSON-RPC path, no HTTP server). Modes alternate within each
round so that the machine's load hits them alike:

* ``returning, no token``: a visit rendered before renders again (a new price);
* ``returning, token``: the same, sending the ``visit_token`` of its previous result;
* ``new visit, write behind``: a first render, its sticky state written by
  ``BackgroundWrites`` (the default);
* ``new visit, write inline``: the same with the write in the request (``writes=None``).

Prints, per mode, the median renders/s of the rounds (and each round's), and the Redis
commands per render from ``INFO commandstats`` deltas (the ``info`` calls excluded).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bff import create_app
from bff.settings import Settings

VISITS = 400


def body(session: str, amount: int, token: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "client_id": "demo",
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "purchase_amount": amount,
        "session_id": session,
    }
    if token:
        params["visit_token"] = token
    return {"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": params}


def command_calls(client: Any) -> dict[str, int]:
    stats = client.info("commandstats")
    return {k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in stats.items() if k != "cmdstat_info"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    app = create_app(Settings(var_dir=Path(tempfile.mkdtemp()), log_level="error"))
    client = app.test_client()
    renderer = app.extensions["onsite.renderer"]
    writes = renderer.writes
    redis_client = app.extensions["onsite.merchants"].client
    tokens = {}
    for i in range(VISITS):
        session = f"returning-{i:022d}"
        tokens[session] = client.post("/rpc", json=body(session, 9900)).get_json()["result"]["visit_token"]
    fresh = itertools.count()

    def returning(with_token: bool, i: int) -> dict[str, Any]:
        session = f"returning-{i % VISITS:022d}"
        return body(session, 9000 + i % 900, tokens[session] if with_token else None)

    modes = {
        "returning, no token": (lambda i: returning(False, i), writes),
        "returning, token": (lambda i: returning(True, i), writes),
        "new visit, write behind": (lambda i: body(f"new-{next(fresh):026d}", 9900), writes),
        "new visit, write inline": (lambda i: body(f"new-{next(fresh):026d}", 9900), None),
    }
    rates: dict[str, list[float]] = {name: [] for name in modes}
    commands: dict[str, dict[str, float]] = {}
    for _ in range(args.rounds):
        for name, (make, writer) in modes.items():
            renderer.writes = writer
            bodies = [make(i) for i in range(args.calls)]
            before = command_calls(redis_client)
            start = time.perf_counter()
            for b in bodies:
                assert "result" in client.post("/rpc", json=b).get_json()
            elapsed = time.perf_counter() - start
            if writes is not None:
                writes.drain()
            after = command_calls(redis_client)
            rates[name].append(args.calls / elapsed)
            commands[name] = {
                k: round((after[k] - before.get(k, 0)) / args.calls, 2)
                for k in after
                if after[k] != before.get(k, 0)
            }
    print(f"load average at the end: {os.getloadavg()[0]:.1f}; {args.rounds} rounds x {args.calls} renders")
    base = statistics.median(rates["returning, no token"])
    for name, values in rates.items():
        median = statistics.median(values)
        runs = ", ".join(f"{v:,.0f}" for v in values)
        print(f"{name:26s} {median:8,.0f} renders/s  x{median / base:.2f}  ({runs})")
        print(f"{'':26s} Redis commands per render: {json.dumps(commands[name])}")
    app.extensions["onsite.embedded_redis"].stop()


if __name__ == "__main__":
    main()
