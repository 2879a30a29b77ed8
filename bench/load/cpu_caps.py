"""A CPU budget per process, through Linux cgroups: each server worker with a core of its own.

On a 2-core machine, 1 -> 2 workers cannot be measured as such: with one worker the second
core runs wrk and redis-server, with two the workers share both cores with them. Capping
every worker at the same fraction of a CPU (its own cgroup, CFS bandwidth control) models a
machine where each worker has a (slower) core to itself and the load generator and Redis
run on what is left: 2 workers at 0.5 CPU each leave a whole core to wrk and Redis. A
second worker then doubles the CPU the server may use, and the scaling shows whether the
server spreads its load over both (gunicorn gthread's keep-alive connections stick to the
worker that accepted them: that worker hits its cap while the other idles).

Needs root and a writable cpu controller: cgroup v1 (``/sys/fs/cgroup/cpu``) or v2 with
the ``cpu`` controller enabled at the root. Each capped process gets a group of its own,
removed (its processes moved back to the root group) on exit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

V1_ROOT = Path("/sys/fs/cgroup/cpu")
V2_ROOT = Path("/sys/fs/cgroup")
PERIOD_US = 10_000  # a short period: a capped worker waits at most a few ms once throttled


@dataclass(frozen=True)
class Hierarchy:
    """Where cpu groups are made, and how a quota is written there."""

    root: Path
    v1: bool

    def limit(self, group: Path, cpus: float) -> None:
        quota = max(1_000, round(cpus * PERIOD_US))
        if self.v1:
            (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (group / "cpu.cfs_quota_us").write_text(str(quota))
        else:
            (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")


def hierarchy() -> Hierarchy:
    """The cpu controller this machine lets us write to; RuntimeError saying why if none."""
    if (V1_ROOT / "cpu.cfs_quota_us").exists():
        found = Hierarchy(V1_ROOT, v1=True)
    elif "cpu" in _read(V2_ROOT / "cgroup.subtree_control").split():
        found = Hierarchy(V2_ROOT, v1=False)
    else:
        raise RuntimeError("no cgroup cpu controller to write to (v1 cpu, or v2 with +cpu at the root)")
    probe = found.root / "onsite-bench-probe"
    try:
        probe.mkdir(exist_ok=True)
        probe.rmdir()
    except OSError as error:
        raise RuntimeError(f"cannot create cgroups under {found.root} (run as root): {error}") from error
    return found


@contextlib.contextmanager
def cpu_capped(pids: list[int], cpus: float) -> Iterator[list[Path]]:
    """Each of ``pids`` (with its threads, and any process it forks later) in a group of its
    own, limited to ``cpus`` of one CPU, until the block exits; yields the groups."""
    if not 0 < cpus <= 64:
        raise ValueError(f"a CPU cap must be above 0 and at most 64 CPUs, not {cpus}")
    where = hierarchy()
    groups: list[Path] = []
    try:
        for pid in pids:
            group = where.root / f"onsite-bench-{pid}"
            group.mkdir(exist_ok=True)
            groups.append(group)
            where.limit(group, cpus)
            (group / "cgroup.procs").write_text(str(pid))
        yield groups
    finally:
        for group in groups:
            for pid in _read(group / "cgroup.procs").split():
                with contextlib.suppress(OSError):  # it may have exited meanwhile
                    (where.root / "cgroup.procs").write_text(pid)
            with contextlib.suppress(OSError):
                group.rmdir()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""
