"""Public write flood: how far does a flood of public writes for one merchant move another's renders?

Usage: ``python -m bench.public_write_flood [--seconds 8] [--runs 5] [--rate 100]
[--flood-connections 8] [--batch 500] [--flood writes|healthz]
[--topology single,split,split-routing] [--out FILE]``

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

``--topology`` says how the app is served; several (comma-separated) are started at once
and measured in the same alternating runs, side by side:

* ``single`` (the default): one gunicorn serves everything; the flood goes to ``/rpc``;
* ``split``: the deployment of docker/nginx.conf: nginx routes ``/rpc/collect`` (where the
  flood goes, as frames now send their writes) to a collect pool of ``--collect-workers``
  started with ``nice -n 10``, with the config's per-address ``limit_req``/``limit_conn``,
  and everything else (the renders) to a render pool like ``single``'s; both pools with
  ``ONSITE_TRUSTED_PROXY_HOPS=1`` and their own ``PROMETHEUS_MULTIPROC_DIR``;
* ``split-routing``: the same without the per-address limits: what the separate pool alone
  does.

Prints (and writes to ``--out``) per topology the medians of merchant B's render p50/p99
alone and flooded, their ratio, what the flood got back (results, -32005, -32602, HTTP
statuses other than 200: the proxy's 429s) and the app CPU per flood request (all pools'
workers). The goal: the flood moves B's p99 by at most 2x.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import secrets
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.load.servers import cpu_seconds, gunicorn, nginx, redis_server, stop, worker_pids, wrk
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


def start_flood(
    url: str, bodies: Path | str, seconds: float, connections: int, nice: int = 0
) -> subprocess.Popen[str]:
    """wrk with public_write_flood.lua: ``bodies`` is a file of bodies, or ``"healthz"``."""
    niced = ["nice", "-n", str(nice)] if nice else []
    command = [*niced, "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s",
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


@dataclasses.dataclass(frozen=True)
class Topology:
    """Where one topology's renders and flood go, and the gunicorn workers serving them."""

    render_url: str
    flood_url: str
    workers: list[int]


def run_alone(topology: Topology, requests: Path, args: argparse.Namespace) -> dict[str, Any]:
    before = cpu_seconds(topology.workers)
    render = wrk(topology.render_url, requests, args.seconds, args.render_connections, rate=args.rate)
    render["app_cpu_us"] = (cpu_seconds(topology.workers) - before) / max(1, render["requests"]) * 1e6
    return {"render": render}


def run_flooded(
    topology: Topology, requests: Path, bodies: Path | str, args: argparse.Namespace
) -> dict[str, Any]:
    flood = start_flood(topology.flood_url, bodies, args.seconds + 2, args.flood_connections, args.flood_nice)
    try:
        time.sleep(1.0)  # the flood is at full speed before the renders start
        before = cpu_seconds(topology.workers)
        render = wrk(topology.render_url, requests, args.seconds, args.render_connections, rate=args.rate)
        app_cpu_s = cpu_seconds(topology.workers) - before
    finally:
        flooded = flood_result(flood, args.seconds + 30)
    return {"render": render, "flood": flooded, "app_cpu_s": app_cpu_s}


@contextlib.contextmanager
def serve(name: str, tmp: Path, base_env: dict[str, str], args: argparse.Namespace) -> Iterator[Topology]:
    """Start topology ``name`` (see the module docstring); every server it starts is stopped on exit."""
    workers = args.workers or os.cpu_count() or 1

    def pool_env(pool: str, extra: dict[str, str]) -> dict[str, str]:
        paths = {"VAR_DIR": tmp / name / pool / "app", "PROMETHEUS_MULTIPROC_DIR": tmp / name / pool / "m"}
        for path in paths.values():
            path.mkdir(parents=True)
        return base_env | {key: str(path) for key, path in paths.items()} | extra

    if name == "single":
        with gunicorn("bff:create_app()", pool_env("all", {}), workers) as (base, master):
            yield Topology(base + "/rpc", base + "/rpc", worker_pids(master))
        return
    behind_proxy = {"ONSITE_TRUSTED_PROXY_HOPS": "1"}
    with (
        gunicorn("bff:create_app()", pool_env("render", behind_proxy), workers) as (render, render_master),
        gunicorn("bff:create_app()", pool_env("collect", behind_proxy), args.collect_workers, nice=10) as (
            collect,
            collect_master,
        ),
        nginx(tmp / name / "nginx", render.split("//", 1)[1], collect.split("//", 1)[1],
              per_address_limits=name == "split") as proxy,
    ):  # fmt: skip
        pids = worker_pids(render_master) + worker_pids(collect_master)
        yield Topology(proxy + "/rpc", proxy + "/rpc/collect", pids)


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


TOPOLOGIES = ("single", "split", "split-routing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rate", type=float, default=100.0, help="merchant B's renders per second")
    parser.add_argument("--render-connections", type=int, default=4)
    parser.add_argument("--flood-connections", type=int, default=8)
    parser.add_argument("--batch", type=int, default=500, help="events per events.track call")
    parser.add_argument("--flood", choices=("writes", "healthz"), default="writes")
    parser.add_argument("--flood-nice", type=int, default=0,
                        help="the flooding wrk's niceness (its CPU as if on another host)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: its config's)")
    parser.add_argument("--collect-workers", type=int, default=1, help="workers of the split collect pool")
    parser.add_argument("--topology", default="single", help=f"comma-separated, of {', '.join(TOPOLOGIES)}")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    names = [name.strip() for name in args.topology.split(",") if name.strip()]
    if not names or any(name not in TOPOLOGIES for name in names):
        parser.error(f"--topology takes some of {', '.join(TOPOLOGIES)}")

    alone: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    flooded: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="onsite-flood-") as tmp_name, contextlib.ExitStack() as servers:
        tmp = Path(tmp_name)
        secret = secrets.token_hex(32)
        requests, bodies = tmp / "render.txt", tmp / "flood.txt"
        write_render_requests(requests)
        write_flood_bodies(bodies, args.batch)
        redis_url = servers.enter_context(redis_server(tmp / "redis"))
        seed_merchant_b(redis_url, tmp / "seed", secret)
        env = {
            "REDIS_URL": redis_url,
            "ONSITE_ENV": "production",
            "ONSITE_SECRET_KEY": secret,
            "ONSITE_READY_MERCHANTS": f"{MERCHANT_A},{MERCHANT_B}",
            "ONSITE_LOG_LEVEL": "warning",
        }
        topologies = {name: servers.enter_context(serve(name, tmp, env, args)) for name in names}
        for topology in topologies.values():
            wrk(topology.render_url, requests, 2, args.render_connections)  # warm the caches
        flood = bodies if args.flood == "writes" else "healthz"
        for run in range(args.runs):
            # Alternate which goes first, so drift and neighbours' load hit both alike.
            order = ("alone", "flooded") if run % 2 == 0 else ("flooded", "alone")
            for name in names if run % 2 == 0 else names[::-1]:
                for kind in order:
                    if kind == "alone":
                        alone[name].append(run_alone(topologies[name], requests, args))
                    else:
                        flooded[name].append(run_flooded(topologies[name], requests, flood, args))
                print(f"run {run + 1} {name}: B p99 alone {alone[name][-1]['render']['p99_us']} µs, "
                      f"flooded {flooded[name][-1]['render']['p99_us']} µs, "
                      f"flood {flooded[name][-1]['flood']['rps']:.0f} req/s", flush=True)  # fmt: skip
    summary: dict[str, Any] = {name: summarize(alone[name], flooded[name], args.seconds) for name in names}
    summary["config"] = vars(args) | {"out": str(args.out) if args.out else None}
    print(json.dumps(summary, indent=2))
    print(table(summary, names))
    if args.out is not None:
        args.out.write_text(json.dumps({"summary": summary, "alone": alone, "flooded": flooded}, indent=2))


def table(summary: dict[str, Any], names: list[str]) -> str:
    """The topologies side by side, as a Markdown table (flood: answered/s and non-200 answers per run)."""
    lines = [
        "| topology | flood req/s (non-200) | B p50 alone -> flooded | B p99 alone -> flooded "
        "| p99 ratio (runs) |",
        "| --- | ---: | --- | --- | --- |",
    ]
    for name in names:
        s, ms = summary[name], lambda us: f"{us / 1000:.1f}"
        runs = ", ".join(f"{r:g}" for r in s["p99_ratio_runs"])
        lines.append(
            f"| {name} | {s['flood']['rps']:,.0f} ({s['flood']['bad_status']:,.0f}) "
            f"| {ms(s['alone']['p50_us'])} -> {ms(s['flooded']['p50_us'])} ms "
            f"| {ms(s['alone']['p99_us'])} -> {ms(s['flooded']['p99_us'])} ms "
            f"| **{s['p99_ratio']:g}** ({runs}) |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
