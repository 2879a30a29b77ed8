"""Public write flood: how far does a flood of public writes for one merchant move another's renders?

Usage: ``python -m bench.public_write_flood [--seconds 8] [--runs 5] [--rate 100]
[--flood-connections 8] [--batch 500] [--flood writes|healthz] [--out FILE]``

A private redis-server (TCP loopback) gets the demo merchant (merchant A, seeded by the
app itself) and a copy of it as ``merchant-b``. gunicorn serves the app with
gunicorn.conf.py (``ONSITE_ENV=production``, a 32-byte ``ONSITE_SECRET_KEY``). Then, in
alternating runs:

* alone: wrk renders merchant B's badge at ``--rate`` req/s (paced, render.lua);
* flooded: the same, while a second wrk (``public_write_flood.lua``) sends, as fast as it is
  answered from ``--flood-connections`` connections on the same address, public writes
  for merchant A: ``events.track`` batches of ``--batch`` events alternating with
  ``consent.update`` calls, all anonymous like a frame's. ``--flood healthz`` sends
  ``GET /healthz`` instead: the cheapest request the app has, so the floor of what any
  flood of this many connections does to the renders on this machine.

Prints (and writes to ``--out``) the medians of merchant B's render p50/p99 alone and
flooded, their ratio, what the flood got back (results, -32005, -32602) and the app CPU
per flood request. The goal: the flood moves B's p99 by at most 2x.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.load.servers import cpu_seconds, gunicorn, redis_server, stop, worker_pids, wrk
from bff import create_app
from bff.errors import Conflict
from bff.settings import DEFAULT_DEMO_CAMPAIGNS, DEFAULT_DEMO_DATA, Settings

MERCHANT_A = "demo"
MERCHANT_B = "merchant-b"
FLOOD_LUA = Path(__file__).resolve().parent / "public_write_flood.lua"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


def seed_merchant_b(redis_url: str, var_dir: Path, secret: str) -> None:
    """Merchant B: the demo merchant's document and campaigns under another client id.

    Built through the app (its stores), as ``bff/demo.py`` seeds the demo merchant.
    """
    app = create_app(Settings(redis_url=redis_url, var_dir=var_dir, log_level="error", secret_key=secret))
    doc = json.loads(DEFAULT_DEMO_DATA.read_text(encoding="utf-8"))
    doc.update(client_id=MERCHANT_B, name="Merchant B (flood benchmark)")
    app.extensions["onsite.merchants"].save_merchant(doc)
    for campaign in json.loads(DEFAULT_DEMO_CAMPAIGNS.read_text(encoding="utf-8")):
        with contextlib.suppress(Conflict):
            app.extensions["onsite.campaigns"].create(MERCHANT_B, campaign)


def write_render_requests(path: Path, count: int = 2_000) -> None:
    """Merchant B's badge in render.lua's format: half new visits, half returning ones."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            params = {
                "client_id": MERCHANT_B,
                "placement_key": "credit-badge",
                "locale": "en-GB",
                "purchase_amount": 5_000 + (i * 37) % 50_000,
                "session_id": "@",
            }
            body = json.dumps({"jsonrpc": "2.0", "id": i, "method": "placements.render", "params": params})
            before, after = body.split('"@"')
            kind = "new" if i % 2 == 0 else "back"
            out.write(f'{kind}\t{CHROME}\t{MERCHANT_B}:en-GB\t{before}"\t"{after}\n')


def write_flood_bodies(path: Path, batch: int, lines: int = 40) -> None:
    """Anonymous public writes for merchant A: event batches alternating with consent changes."""
    now_ms = int(time.time() * 1000)
    with path.open("w", encoding="utf-8") as out:
        for line in range(lines):
            session = uuid.uuid4().hex
            if line % 2 == 0:
                events = [
                    {
                        "id": str(uuid.uuid4()),
                        "type": "impression" if i % 3 else "view",
                        "client_id": MERCHANT_A,
                        "placement_key": "credit-badge",
                        "session_id": session,
                        "ts": now_ms,
                        "page_url": "http://localhost:5000/demo?utm_source=flood",
                        "amount": 9900,
                        "currency": "GBP",
                        "locale": "en-GB",
                    }
                    for i in range(batch)
                ]
                call = {"jsonrpc": "2.0", "id": line, "method": "events.track", "params": {"events": events}}
            else:
                params = {"client_id": MERCHANT_A, "session_id": session, "personalization": True}
                call = {"jsonrpc": "2.0", "id": line, "method": "consent.update", "params": params}
            out.write(json.dumps(call) + "\n")


def start_flood(url: str, bodies: Path | str, seconds: float, connections: int) -> subprocess.Popen[str]:
    """wrk with public_write_flood.lua: ``bodies`` is a file of bodies, or ``"healthz"``."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s",
               "-s", str(FLOOD_LUA), url, "--", str(bodies)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip


def flood_result(process: subprocess.Popen[str], timeout_s: float) -> dict[str, Any]:
    try:
        out, _ = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        stop(process)
        raise
    line = next(line for line in out.splitlines() if line.startswith("{"))
    result: dict[str, Any] = json.loads(line)
    return result


def run_alone(base: str, requests: Path, args: argparse.Namespace, workers: list[int]) -> dict[str, Any]:
    before = cpu_seconds(workers)
    render = wrk(base + "/rpc", requests, args.seconds, args.render_connections, rate=args.rate)
    render["app_cpu_us"] = (cpu_seconds(workers) - before) / max(1, render["requests"]) * 1e6
    return {"render": render}


def run_flooded(
    base: str, requests: Path, bodies: Path | str, args: argparse.Namespace, workers: list[int]
) -> dict[str, Any]:
    flood = start_flood(base + "/rpc", bodies, args.seconds + 2, args.flood_connections)
    try:
        time.sleep(1.0)  # the flood is at full speed before the renders start
        before = cpu_seconds(workers)
        render = wrk(base + "/rpc", requests, args.seconds, args.render_connections, rate=args.rate)
        app_cpu_s = cpu_seconds(workers) - before
    finally:
        flooded = flood_result(flood, args.seconds + 30)
    return {"render": render, "flood": flooded, "app_cpu_s": app_cpu_s}


def summarize(alone: list[dict[str, Any]], flooded: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    def med(runs: list[dict[str, Any]], key: str) -> float:
        return round(statistics.median(float(r["render"][key]) for r in runs), 1)

    render_cpu_us = statistics.median(r["render"]["app_cpu_us"] for r in alone)
    flood_cpu_us = []
    for run in flooded:
        # Over the render window: the workers' CPU minus what the renders cost alone.
        flood_requests = run["flood"]["rps"] * seconds
        spent = run["app_cpu_s"] * 1e6 - render_cpu_us * run["render"]["requests"]
        flood_cpu_us.append(spent / max(1.0, flood_requests))
    summary = {
        "alone": {"p50_us": med(alone, "p50_us"), "p99_us": med(alone, "p99_us"), "rps": med(alone, "rps"),
                  "errors": med(alone, "errors"), "p99_runs": [r["render"]["p99_us"] for r in alone],
                  "app_cpu_us_per_render": round(render_cpu_us)},
        "flooded": {"p50_us": med(flooded, "p50_us"), "p99_us": med(flooded, "p99_us"),
                    "rps": med(flooded, "rps"), "errors": med(flooded, "errors"),
                    "p99_runs": [r["render"]["p99_us"] for r in flooded]},
        "flood": {key: round(statistics.median(float(r["flood"][key]) for r in flooded), 1)
                  for key in ("rps", "p50_us", "p99_us", "results", "limited", "invalid", "other_errors",
                              "bad_status", "socket_errors")}
        | {"app_cpu_us_per_request": round(statistics.median(flood_cpu_us))},
    }  # fmt: skip
    summary["p50_ratio"] = round(summary["flooded"]["p50_us"] / max(1.0, summary["alone"]["p50_us"]), 2)
    summary["p99_ratio"] = round(summary["flooded"]["p99_us"] / max(1.0, summary["alone"]["p99_us"]), 2)
    summary["p99_ratio_runs"] = [
        round(f["render"]["p99_us"] / max(1, a["render"]["p99_us"]), 2)
        for a, f in zip(alone, flooded, strict=True)
    ]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rate", type=float, default=100.0, help="merchant B's renders per second")
    parser.add_argument("--render-connections", type=int, default=4)
    parser.add_argument("--flood-connections", type=int, default=8)
    parser.add_argument("--batch", type=int, default=500, help="events per events.track call")
    parser.add_argument("--flood", choices=("writes", "healthz"), default="writes")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: its config's)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="onsite-flood-") as tmp_name:
        tmp = Path(tmp_name)
        secret = secrets.token_hex(32)
        requests, bodies = tmp / "render.txt", tmp / "flood.txt"
        write_render_requests(requests)
        write_flood_bodies(bodies, args.batch)
        with redis_server(tmp / "redis") as redis_url:
            seed_merchant_b(redis_url, tmp / "seed", secret)
            env = {
                "REDIS_URL": redis_url,
                "VAR_DIR": str(tmp / "app"),
                "ONSITE_ENV": "production",
                "ONSITE_SECRET_KEY": secret,
                "ONSITE_READY_MERCHANTS": f"{MERCHANT_A},{MERCHANT_B}",
                "ONSITE_LOG_LEVEL": "warning",
                "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
            }
            (tmp / "app").mkdir()
            (tmp / "metrics").mkdir()
            workers = args.workers or os.cpu_count() or 1
            with gunicorn("bff:create_app()", env, workers) as (base, master):
                pids = worker_pids(master)
                wrk(base + "/rpc", requests, 2, args.render_connections)  # warm the caches
                alone: list[dict[str, Any]] = []
                flooded: list[dict[str, Any]] = []
                for run in range(args.runs):
                    # Alternate which goes first, so drift and neighbours' load hit both alike.
                    order = ("alone", "flooded") if run % 2 == 0 else ("flooded", "alone")
                    for kind in order:
                        if kind == "alone":
                            alone.append(run_alone(base, requests, args, pids))
                        else:
                            flood = bodies if args.flood == "writes" else "healthz"
                            flooded.append(run_flooded(base, requests, flood, args, pids))
                    print(f"run {run + 1}: B p99 alone {alone[-1]['render']['p99_us']} µs, "
                          f"flooded {flooded[-1]['render']['p99_us']} µs, "
                          f"flood {flooded[-1]['flood']['rps']:.0f} req/s", flush=True)  # fmt: skip
    summary = summarize(alone, flooded, args.seconds)
    summary["config"] = vars(args) | {"out": str(args.out) if args.out else None}
    print(json.dumps(summary, indent=2))
    if args.out is not None:
        args.out.write_text(json.dumps({"summary": summary, "alone": alone, "flooded": flooded}, indent=2))


if __name__ == "__main__":
    main()
