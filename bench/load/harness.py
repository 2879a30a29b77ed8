"""The load benchmark's harness (bench/load/run.py runs its sections with it): the servers
under test, up at once, and wrk runs alternating between them, each recording wrk's figures
and the CPU time the servers, redis-server and wrk spent per request, summarised as medians.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import threading
from pathlib import Path
from typing import Any

from bench.load.cpu_caps import cpu_capped
from bench.load.servers import (
    ROOT,
    all_workers,
    app_server,
    connections_per_worker,
    cpu_seconds,
    gunicorn,
    redis_pid,
    worker_pids,
    wrk,
)

Server = tuple[str, "subprocess.Popen[bytes]"]
CONNECTIONS = 16


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = (
        "rps",
        "p50_us",
        "p90_us",
        "p99_us",
        "errors",
        "requests",
        "app_cpu_us",
        "redis_cpu_us",
        "wrk_cpu_us",
    )
    summary: dict[str, Any] = {k: round(statistics.median(float(r[k]) for r in runs), 1) for k in keys}
    summary["rps_runs"] = [round(r["rps"]) for r in runs]
    # Share of requests that carried a visit token (returning visits whose last reply had one).
    shares = (r.get("with_token", 0) / max(r["requests"], 1) for r in runs)
    summary["token_share"] = round(statistics.median(shares), 3)
    summary["p99_runs"] = [r["p99_us"] for r in runs]
    summary["app_cpu_runs"] = [round(r["app_cpu_us"]) for r in runs]
    summary["conns_per_worker_runs"] = [r["conns_per_worker"] for r in runs]
    summary["worker_cpu_share_runs"] = [r["worker_cpu_share"] for r in runs]
    return summary


class Bench:
    def __init__(self, tmp: Path, redis_url: str, requests: Path, args: argparse.Namespace) -> None:
        self.tmp, self.redis_url, self.requests = tmp, redis_url, requests
        self.seconds, self.runs = args.seconds, args.runs
        # The configuration under test in main, lean and profile: gunicorn.conf.py's unless given.
        self.workers = args.workers or _default_workers()
        self.worker_args = args.worker_args
        self.kind = args.server
        self.baseline: Path | None = args.baseline
        self.baseline_kind: str = args.baseline_server or args.server
        self.worker_cpu: float = args.worker_cpu
        self.serial = 0
        pid = redis_pid(redis_url)
        self.redis_pids = [pid] if pid else []

    def env(self, **extra: str) -> dict[str, str]:
        self.serial += 1
        metrics = self.tmp / f"metrics-{self.serial}"
        metrics.mkdir()
        return {
            "REDIS_URL": self.redis_url, "VAR_DIR": str(self.tmp / "var"), "ONSITE_LOG_LEVEL": "warning",
            "ONSITE_READY_MERCHANTS": "m00", "PROMETHEUS_MULTIPROC_DIR": str(metrics), **extra,
        }  # fmt: skip

    def alternate(self, targets: dict[str, Server], rate: dict[str, float] | None = None) -> dict[str, Any]:
        """Runs x targets, alternating; returns the median summary per target.

        Besides wrk's figures, each run records the CPU time (user + system) that the
        gunicorn processes, redis-server and wrk used per request: unlike req/s, it barely
        moves when neighbours compete for the cores.
        """
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
        for _ in range(self.runs):
            for name, (base, master) in targets.items():
                workers = worker_pids(master)
                master_cpu, redis_cpu = cpu_seconds([master.pid]), cpu_seconds(self.redis_pids)
                each_before = [cpu_seconds([pid]) for pid in workers]
                conns: list[int] = []
                sampler = threading.Timer(
                    self.seconds / 2, lambda b=base, m=master, c=conns: c.extend(connections_per_worker(b, m))
                )
                sampler.start()
                run = wrk(base + "/rpc", self.requests, self.seconds, CONNECTIONS, (rate or {}).get(name, 0))
                sampler.join()
                run["conns_per_worker"] = conns
                each = [cpu_seconds([pid]) - before for pid, before in zip(workers, each_before, strict=True)]
                run["worker_cpu_share"] = sorted((round(c / self.seconds, 2) for c in each), reverse=True)
                served = max(run["requests"], 1)
                run["app_cpu_us"] = (cpu_seconds([master.pid]) - master_cpu + sum(each)) / served * 1e6
                run["redis_cpu_us"] = (cpu_seconds(self.redis_pids) - redis_cpu) / served * 1e6
                run["wrk_cpu_us"] = run["wrk_cpu_s"] / served * 1e6
                results[name].append(run)
        return {name: median_of(runs) for name, runs in results.items()}

    def warm(self, targets: dict[str, Server]) -> None:
        for base, _ in targets.values():
            wrk(base + "/rpc", self.requests, 3, CONNECTIONS)

    def server(self, stack: contextlib.ExitStack, spec: str, workers: int = 0, args: str | None = None,
               kind: str = "", root: Path = ROOT, **env: str) -> Server:  # fmt: skip
        """A server of ``kind`` (default ``--server``) serving the tree ``root``; gunicorn ``args``
        (sync, other thread counts) only apply to gunicorn."""
        kind = kind or self.kind
        if root != ROOT:
            served = stack.enter_context(
                app_server(kind, spec, self.env(**env), workers or self.workers, root=root)
            )
        elif args or (args is None and self.worker_args):
            served = stack.enter_context(
                gunicorn(spec, self.env(**env), workers or self.workers, args or self.worker_args)
            )
        else:
            served = stack.enter_context(app_server(kind, spec, self.env(**env), workers or self.workers))
        if self.worker_cpu:
            # Ready means one worker answers: wait for all of them before capping each.
            pids = all_workers(served[1], workers or self.workers)
            stack.enter_context(cpu_capped(pids, self.worker_cpu))
        return served


def _default_workers() -> int:
    """gunicorn.conf.py's default for this machine (1 per core)."""
    return os.cpu_count() or 1
