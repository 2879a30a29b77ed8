"""The whole detection evaluation in one command: real labelled series, then the simulator.

Runs, one after the other, ``evaluate_real --held-out`` (the tuned and the held-out NAB
series) and ``evaluate_detection`` (the simulator, ``--seeds`` and ``--per-kind`` passed
on), each in its own process with ``--jobs`` processes, and prints one JSON document:
each run's report and wall time, and the total.

Usage: ``python -m bench.monitoring.evaluate_all [--seeds 11 12] [--per-kind 2] [--jobs 2]
[--preset after]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any


def run(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m module args`` and return its JSON report with the measured wall time."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, check=True)
    report: dict[str, Any] = json.loads(done.stdout)
    return {"command": " ".join(["python -m", module, *args]), "wall_s": round(time.monotonic() - started, 1),
            "report": report}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seeds", nargs="+", default=["11", "12"])
    parser.add_argument("--per-kind", default="2")
    parser.add_argument("--jobs", default=str(os.cpu_count() or 1))
    parser.add_argument("--preset", default="after")
    args = parser.parse_args()
    started = time.monotonic()
    real = run("bench.monitoring.evaluate_real", "--held-out", "--jobs", args.jobs)
    simulated = [
        "--seeds",
        *args.seeds,
        "--per-kind",
        args.per_kind,
        "--jobs",
        args.jobs,
        "--preset",
        args.preset,
    ]
    simulator = run("bench.monitoring.evaluate_detection", *simulated)
    simulator["report"].pop("per_seed", None)  # the medians are the figures; per seed: run it alone
    total = round(time.monotonic() - started, 1)
    print(json.dumps({"real": real, "simulator": simulator, "wall_s": total}, indent=2))


if __name__ == "__main__":
    main()
