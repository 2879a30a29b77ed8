"""Load benchmark: placements.render under the production server vs a bare Flask endpoint.

Usage: ``python -m bench.load.run [--profiles 1000000] [--seconds 8] [--runs 3]
[--sections main,servers,server_scaling,profile] [--server granian] [--baseline DIR
[--baseline-server gthread]] [--out bench/load/results.json]``

One private redis-server (TCP loopback, AOF) gets 50 merchants x 20 campaigns and the
profiles (bench/load/dataset.py). Then, with every compared server up at once and the
runs alternating between them (so drift and neighbours' noise hit all alike):

* ``workers``: render max req/s, p99 and CPU per request for sync x2/x4 and gthread
  2x2/2x4/4x2 (workers x threads);
* ``main``: render and ceiling under ``--server``: max (closed loop), then paced at
  50/80/100% of each one's own max: req/s, p50, p99; ratio render/ceiling. With
  ``--baseline DIR`` (another source tree, e.g. ``git archive`` of the last commit), its
  render runs beside them too, under ``--baseline-server``: before and after in one run;
* ``scaling``: 1 and 2 workers (the config's class), render and ceiling, max req/s;
* ``lean``: render through the lean dispatch vs through flask-jsonrpc;
* ``profile``: py-spy samples the render workers under load (and the baseline's); top costs;
* ``servers``: render and ceiling under each HTTP server of ``servers.SERVER_KINDS``
  (gunicorn gthread, the same with ``reuse_port``, gunicorn gevent, granian): max, then
  paced at 50/80/100% of each one's own max, with the client connections each worker
  held mid-run (is gthread's throughput bimodal because they stick to one worker?);
* ``server_scaling``: 1 and 2 workers under each server, render and ceiling, max req/s.

``--worker-cpu F`` caps every server worker at F of one CPU, each in a cgroup of its own
(bench/load/cpu_caps.py; root): on 2 cores, 2 workers at 0.5 leave a core to wrk and
redis-server, so 1 -> 2 workers doubles the server's CPU and the scaling sections measure
whether it spreads its load. Each run then also records every worker's CPU use (a share of
one CPU, largest first).

``--server`` picks the server of main, scaling, lean and profile (default: granian, the
one that spends the least CPU per render; ``gthread`` is gunicorn.conf.py's, the production
default).

Every figure is the median of ``--runs`` runs. wrk runs on the same 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

import redis

from bench.load import dataset
from bench.load.harness import CONNECTIONS, Bench
from bench.load.py_spy_costs import py_spy, top_costs
from bench.load.servers import ROOT, SERVER_KINDS, app_server, redis_server, worker_pids, wrk

RENDER_APP = "bff:create_app()"
CEILING_APP = "bench.load.ceiling_app:create_app()"
LEVELS = (0.5, 0.8, 1.0)


def section_workers(bench: Bench) -> dict[str, Any]:
    configs = {
        "sync x2": (2, "--worker-class sync"),
        "sync x4": (4, "--worker-class sync"),
        "gthread 2x2": (2, "--worker-class gthread --threads 2"),
        "gthread 2x4": (2, "--worker-class gthread --threads 4"),
        "gthread 4x2": (4, "--worker-class gthread --threads 2"),
    }
    with contextlib.ExitStack() as stack:
        targets = {name: bench.server(stack, RENDER_APP, *config) for name, config in configs.items()}
        bench.warm(targets)
        return bench.alternate(targets)


def section_main(bench: Bench) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        targets = {"ceiling": bench.server(stack, CEILING_APP), "render": bench.server(stack, RENDER_APP)}
        if bench.baseline is not None:
            targets["render baseline"] = bench.server(
                stack, RENDER_APP, root=bench.baseline, kind=bench.baseline_kind
            )
        bench.warm(targets)
        result: dict[str, Any] = {"max": bench.alternate(targets)}
        for level in LEVELS:
            rates = {name: result["max"][name]["rps"] * level for name in targets}
            result[f"{int(level * 100)}%"] = bench.alternate(targets, rates) | {"offered": rates}
    result["ratio_render_ceiling"] = result["max"]["render"]["rps"] / result["max"]["ceiling"]["rps"]
    result["ratio_cpu_ceiling_render"] = (
        result["max"]["ceiling"]["app_cpu_us"] / result["max"]["render"]["app_cpu_us"]
    )
    if bench.baseline is not None:
        result["cpu_baseline_over_render"] = {
            point: round(
                result[point]["render baseline"]["app_cpu_us"] / result[point]["render"]["app_cpu_us"], 3
            )
            for point in ("max", "50%", "80%", "100%")
        }
    return result


def section_scaling(bench: Bench) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        targets = {
            f"{app} x{workers}": bench.server(stack, spec, workers)
            for app, spec in (("render", RENDER_APP), ("ceiling", CEILING_APP))
            for workers in (1, 2)
        }
        bench.warm(targets)
        result = bench.alternate(targets)
    for app in ("render", "ceiling"):
        result[f"{app} scaling"] = result[f"{app} x2"]["rps"] / result[f"{app} x1"]["rps"]
    return result


def section_lean(bench: Bench) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        targets = {
            f"lean={flag}": bench.server(stack, RENDER_APP, ONSITE_RPC_LEAN_RENDER=flag)
            for flag in ("1", "0")
        }
        bench.warm(targets)
        result = bench.alternate(targets)
    result["gain_rps"] = result["lean=1"]["rps"] / result["lean=0"]["rps"]
    result["gain_cpu"] = result["lean=0"]["app_cpu_us"] / result["lean=1"]["app_cpu_us"]
    return result


def section_profile(bench: Bench) -> dict[str, Any]:
    """py-spy profiles of the render (and of ``--baseline``'s, when given), one after the other."""
    result = {"render": profile(bench, ROOT, bench.kind)}
    if bench.baseline is not None:
        result["render baseline"] = profile(bench, bench.baseline, bench.baseline_kind)
    return result


def profile(bench: Bench, root: Path, kind: str) -> dict[str, Any]:
    """py-spy samples every render worker during closed-loop runs; top inclusive and self costs.

    Two recordings, one after the other: ``busy`` samples every thread that is not idle
    (a thread waiting for the GIL inside a C call counts where it waits), ``gil`` only the
    thread holding the GIL, i.e. where the workers' Python CPU time goes.
    """
    result: dict[str, Any] = {}
    env = bench.env()
    with app_server(kind, RENDER_APP, env, bench.workers, root=root) as (base, master):
        wrk(base + "/rpc", bench.requests, 3, CONNECTIONS)
        for mode, extra in (("busy", []), ("gil", ["--gil"])):
            out = bench.tmp / f"pyspy-{bench.serial}-{mode}.txt"
            spy = subprocess.Popen(
                [py_spy(), "record", "--pid", str(master.pid), "--subprocesses", "--format", "raw",
                 "--rate", "250", "--duration", str(int(bench.seconds) + 2), "--output", str(out),
                 "--nonblocking", *extra],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            time.sleep(1)
            run = wrk(base + "/rpc", bench.requests, bench.seconds, CONNECTIONS)
            spy.wait(timeout=bench.seconds + 60)
            result[mode] = {"rps_while_sampled": run["rps"], **top_costs(out)}
        assert worker_pids(master)
    return result


def section_servers(bench: Bench) -> dict[str, Any]:
    """Render and ceiling under every server kind at once: max, then 50/80/100% of each one's max."""
    with contextlib.ExitStack() as stack:
        targets = {
            f"{app} {kind}": bench.server(stack, spec, kind=kind)
            for kind in SERVER_KINDS
            for app, spec in (("render", RENDER_APP), ("ceiling", CEILING_APP))
        }
        bench.warm(targets)
        result: dict[str, Any] = {"max": bench.alternate(targets)}
        for level in LEVELS:
            rates = {name: result["max"][name]["rps"] * level for name in targets}
            result[f"{int(level * 100)}%"] = bench.alternate(targets, rates) | {"offered": rates}
    for kind in SERVER_KINDS:
        render, ceiling = result["max"][f"render {kind}"], result["max"][f"ceiling {kind}"]
        result[f"ratio {kind}"] = {
            "render/ceiling rps": round(render["rps"] / ceiling["rps"], 3),
            "ceiling/render cpu": round(ceiling["app_cpu_us"] / render["app_cpu_us"], 3),
        }
    return result


def section_server_scaling(bench: Bench) -> dict[str, Any]:
    """1 and 2 workers under each server kind, render and ceiling."""
    kinds = list(SERVER_KINDS)
    with contextlib.ExitStack() as stack:
        targets = {
            f"{app} {kind} x{workers}": bench.server(stack, spec, workers, kind=kind)
            for kind in kinds
            for app, spec in (("render", RENDER_APP), ("ceiling", CEILING_APP))
            for workers in (1, 2)
        }
        bench.warm(targets)
        result = bench.alternate(targets)
    for kind in kinds:
        for app in ("render", "ceiling"):
            two, one = result[f"{app} {kind} x2"]["rps"], result[f"{app} {kind} x1"]["rps"]
            result[f"{app} {kind} scaling"] = round(two / one, 3)
    return result


def machine_facts() -> dict[str, Any]:
    """Cores, load average and a speed probe: the median time of a fixed pure-Python loop.

    Development machines of the same kind differed about 3.5x in speed between sessions
    (the same in-process render: 650-720 µs of CPU in one, 2,000-2,700 µs in another), so
    absolute req/s and µs only compare within one results file; ratios (render/ceiling,
    2 workers/1) and the probe let runs on different machines be read side by side.
    """
    probe = statistics.median(timeit.repeat("sum(range(10000))", number=200, repeat=7)) / 200
    return {
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg(),
        "probe_sum_range_10k_us": round(probe * 1e6, 1),
    }


SECTIONS = {
    "workers": section_workers,
    "main": section_main,
    "scaling": section_scaling,
    "lean": section_lean,
    "profile": section_profile,
    "servers": section_servers,
    "server_scaling": section_server_scaling,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sections", default="workers,main,scaling,lean,profile")
    parser.add_argument(
        "--workers", type=int, default=0, help="main/lean/profile: workers (default: config's)"
    )
    parser.add_argument("--worker-args", default="", help='gunicorn only, e.g. "--worker-class sync"')
    parser.add_argument(
        "--baseline", type=Path, default=None, help="main/profile: also serve this source tree (before/after)"
    )
    parser.add_argument(
        "--baseline-server", choices=SERVER_KINDS, help="the baseline's server (default: --server)"
    )
    parser.add_argument(
        "--server", default="granian", choices=SERVER_KINDS, help="server of main/scaling/lean/profile"
    )
    parser.add_argument(
        "--worker-cpu", type=float, default=0, help="cap each server worker at this share of a CPU (cgroups)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "load" / "results.json")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "args": vars(args)
        | {"out": str(args.out), "baseline": str(args.baseline) if args.baseline else None},
        "machine": machine_facts(),
    }
    print("machine:", results["machine"], flush=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "var").mkdir()
        with redis_server(tmp / "redis") as url:
            started = time.perf_counter()
            dataset.load(redis.Redis.from_url(url), args.profiles, tmp / "var")
            client = redis.Redis.from_url(url)
            results["dataset"] = {
                "load_s": round(time.perf_counter() - started, 1),
                "keys": client.dbsize(),
                "used_memory_mb": round(client.info("memory")["used_memory"] / 2**20, 1),
            }
            print("dataset:", results["dataset"], flush=True)
            requests = tmp / "requests.tsv"
            dataset.write_requests(requests, args.requests, args.profiles, tmp / "var")
            bench = Bench(tmp, url, requests, args)
            for name in args.sections.split(","):
                started = time.perf_counter()
                results[name] = SECTIONS[name](bench)
                print(f"== {name} ({time.perf_counter() - started:.0f} s)", flush=True)
                print(json.dumps(results[name]), flush=True)
                args.out.write_text(json.dumps(results, indent=1) + "\n")
    results["machine_after"] = machine_facts()
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"results written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
