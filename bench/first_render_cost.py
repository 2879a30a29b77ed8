"""Benchmark: what a placement shell carrying its first render costs the server, against the
render POST it replaces and the public shell.

    python bench/first_render_cost.py [--seconds 6] [--runs 3] [--server gthread|granian]

Starts redis-server and one production worker (gunicorn.conf.py, or granian) of this tree
(two for the Flask comparison below),
and alternates closed-loop wrk runs (1 thread, 4 connections) of:

* ``post``: ``POST /rpc`` placements.render (the lean dispatch, no visit token: the visit's
  state is read from Redis), what a frame sent before the shell carried its render;
* ``shell+render``: ``GET /frame/placement?client_id=demo&render=<the same params>``, the
  shell with the render, its inline stylesheet and boot script (the lean dispatch in front
  of Flask, bff/lean_shell.py);
* ``shell+render/flask``: the same from a second worker with ``ONSITE_RPC_LEAN_RENDER=0``
  (through Flask's view), side by side;
* ``shell``: the public shell, without ``render`` (no conditional request: a full answer).

Each run records req/s and the worker's CPU time (user + system, from /proc) per request,
which barely moves when neighbours compete for the cores. Prints the medians and the
ratios to ``post``. A benchmark, not a test: nothing fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import statistics
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

from bench.load.servers import app_server, cpu_seconds, redis_server, worker_pids

PARAMS = {
    "client_id": "demo",
    "placement_key": "credit-badge",
    "locale": "en-GB",
    "purchase_amount": 9900,
    "session_id": "0123456789abcdef0123456789abcdef",
    "currency": "GBP",
    "consent": {"personalization": False},
}
POST_LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[%s]]
"""


def wrk(url: str, seconds: float, script: Path | None = None) -> int:
    """Requests wrk completed (closed loop, 1 thread, 4 connections); non-2xx answers fail."""
    command = ["wrk", "-t1", "-c4", f"-d{seconds:g}s", *(["-s", str(script)] if script else []), url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")
    return int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server", choices=("gthread", "granian"), default="gthread")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="onsite-first-render-"))
    (tmp / "var").mkdir()
    script = tmp / "post.lua"
    body = {"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": PARAMS}
    script.write_text(POST_LUA % json.dumps(body), encoding="utf-8")
    render = quote(json.dumps(PARAMS, separators=(",", ":")))
    with contextlib.ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(tmp / "redis"))
        env = {"REDIS_URL": redis_url, "VAR_DIR": str(tmp / "var"), "ONSITE_LOG_LEVEL": "warning"}
        metrics = tmp / "metrics"
        metrics.mkdir()
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
        base, master = stack.enter_context(app_server(args.server, "bff:create_app()", env, 1))
        flask_env = env | {"ONSITE_RPC_LEAN_RENDER": "0", "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics2")}
        (tmp / "metrics2").mkdir()
        flask_base, flask_master = stack.enter_context(
            app_server(args.server, "bff:create_app()", flask_env, 1)
        )
        shell_url = "/frame/placement?client_id=demo"
        targets = {
            "post": (base + "/rpc", script, master),
            "shell+render": (f"{base}{shell_url}&render={render}", None, master),
            "shell+render/flask": (f"{flask_base}{shell_url}&render={render}", None, flask_master),
            "shell": (base + shell_url, None, master),
        }
        for url, lua, _ in targets.values():  # warm up: imports, templates, the visit's state
            wrk(url, 2, lua)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
        for _ in range(args.runs):
            for name, (url, lua, server) in targets.items():
                pids = [server.pid, *worker_pids(server)]
                before = cpu_seconds(pids)
                done = wrk(url, args.seconds, lua)
                results[name].append((done / args.seconds, (cpu_seconds(pids) - before) / done * 1e6))
    post_cpu = statistics.median(cpu for _, cpu in results["post"])
    print(f"server: {args.server}, 1 worker; medians of {args.runs} runs of {args.seconds:g} s")
    for name, runs in results.items():
        rate = statistics.median(r for r, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"  {name:19} {rate:8.0f} req/s  {cpu:7.0f} µs CPU/request  ({cpu / post_cpu:.2f}x post)")


if __name__ == "__main__":
    main()
