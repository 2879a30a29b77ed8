"""gunicorn, as gunicorn.conf.py starts it, in a network namespace of its own with a given
``net.ipv4.tcp_migrate_req``: ``unshare --net python -m tests.faults.reuse_port_probe 0|1``
(root). Prints one JSON object: the listening sockets (the pids holding each), the client
connections each worker took when 16 keep-alive connections opened at once, the failed
requests over graceful restarts (SIGHUP) under render load while 8 idle keep-alive
connections are held (a balancer's), how often a replaced worker was seen lingering (an idle
connection keeps it up to 2 s) beside both new ones and how often it was still listening
then, and the server log's tracebacks.

The setting is per network namespace, so the machine's own is never touched; the namespace
has only its loopback, which the probe brings up. Every process it starts is stopped by it
(``running``, ``EmbeddedRedis.stop``), each with a timeout.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.load.servers import child_pids, connections_per_worker
from bff.server_boot import MIGRATE_QUEUED
from bff.store.embedded import EmbeddedRedis
from tests.faults.render_load import Load, render, wait_for
from tests.production_server import running, server_env

CONNECTIONS = 16
RESTARTS = 3


def listeners(port: int) -> list[list[int]]:
    """The pids holding each listening socket on ``port``, one sorted list per socket."""
    out = subprocess.run(["ss", "-Htlnp", f"( sport = :{port} )"], capture_output=True, text=True, timeout=10)
    lines = out.stdout.splitlines()
    return sorted(sorted({int(pid) for pid in re.findall(r"pid=(\d+)", line)}) for line in lines)


def spread(port: int, master: subprocess.Popen[bytes]) -> list[int]:
    """Open ``CONNECTIONS`` keep-alive connections at once, one request on each; how many each
    worker holds (largest first)."""
    connections = keep_alive(port, CONNECTIONS)
    try:
        return connections_per_worker(f"http://127.0.0.1:{port}", master)
    finally:
        for connection in connections:
            connection.close()


def keep_alive(port: int, count: int) -> list[http.client.HTTPConnection]:
    """``count`` connections that each made one request and stay open, idle."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=5) for _ in range(count)]
    for connection in connections:
        connection.connect()
    for connection in connections:
        connection.request("GET", "/healthz")
    for connection in connections:
        connection.getresponse().read()
    return connections


def restarts(port: int, master: int) -> dict[str, Any]:
    """``RESTARTS`` graceful restarts under render load with 8 idle keep-alive connections held:
    the failed requests of each; how many samples (every ~40 ms) found a replaced worker
    lingering beside both new ones, which listen on sockets of their own; and in how many of
    those it still listened."""
    failures, lingering, still_listening = [], 0, 0
    for _ in range(RESTARTS):
        before = set(child_pids(master))
        held = keep_alive(port, 8)
        try:
            with Load(port) as load:
                time.sleep(0.5)
                os.kill(master, signal.SIGHUP)
                deadline = time.monotonic() + 30
                while set(child_pids(master)) & before or len(child_pids(master)) != 2:
                    assert time.monotonic() < deadline, "the workers were not replaced"
                    old = set(child_pids(master)) & before
                    listening = {pid for pids in listeners(port) for pid in pids}
                    if old and len(listening - before) == 2:  # both new workers listen; old ones linger
                        lingering += 1
                        still_listening += bool(old & listening)
                    time.sleep(0.02)
                time.sleep(0.5)
        finally:
            for connection in held:
                connection.close()
        failures.append(load.failures())
    return {"restart_failures": failures, "lingering_samples": lingering,
            "old_listening_samples": still_listening}  # fmt: skip


def main(migrate: str) -> dict[str, Any]:
    if migrate not in ("0", "1"):
        raise SystemExit("usage: unshare --net python -m tests.faults.reuse_port_probe 0|1")
    ip = shutil.which("ip") or "/usr/sbin/ip"
    subprocess.run([ip, "link", "set", "lo", "up"], check=True, timeout=10)
    MIGRATE_QUEUED.write_text(migrate)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        redis = EmbeddedRedis(tmp / "redis")
        try:
            env, port = server_env(redis.start(), tmp / "var", 2, ONSITE_LOG_LEVEL="error")
            with running("gunicorn", env, port, tmp / "server.log") as process:
                wait_for(lambda: len(child_pids(process.pid)) == 2)
                assert render(port, 0), "the server does not render"
                found = {
                    "workers": sorted(child_pids(process.pid)),
                    "listeners": listeners(port),
                    "connections_per_worker": spread(port, process),
                    **restarts(port, process.pid),
                }
            log = (tmp / "server.log").read_text(encoding="utf-8", errors="replace")
            return found | {"tracebacks": log.count("Traceback")}
        finally:
            redis.stop()


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "")))
