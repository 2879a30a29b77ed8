"""gunicorn, as gunicorn.conf.py starts it, in a network namespace of its own with a given
``net.ipv4.tcp_migrate_req``: ``unshare --net python -m tests.faults.reuse_port_probe 0|1``
(root). Prints one JSON object: the listening sockets (the pids holding each), the client
connections each worker took when 16 keep-alive connections opened at once, and the failed
requests over graceful restarts (SIGHUP) under render load.

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

from bench.load.servers import connections_per_worker
from bff.store.embedded import EmbeddedRedis
from tests.faults.render_load import Load, render, wait_for
from tests.production_server import running, server_env, workers_of

MIGRATE_QUEUED = Path("/proc/sys/net/ipv4/tcp_migrate_req")
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
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=5) for _ in range(CONNECTIONS)]
    try:
        for connection in connections:
            connection.connect()
        for connection in connections:
            connection.request("GET", "/healthz")
        for connection in connections:
            connection.getresponse().read()
        return connections_per_worker(f"http://127.0.0.1:{port}", master)
    finally:
        for connection in connections:
            connection.close()


def restart_failures(port: int, master: int) -> list[int]:
    """Failed requests of each of ``RESTARTS`` graceful restarts under render load."""
    failures = []
    for _ in range(RESTARTS):
        before = set(workers_of(master))
        with Load(port) as load:
            time.sleep(0.5)
            os.kill(master, signal.SIGHUP)
            wait_for(lambda b=before: len(set(workers_of(master))) == 2 and not set(workers_of(master)) & b)
            time.sleep(0.5)
        failures.append(load.failures())
    return failures


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
                wait_for(lambda: len(workers_of(process.pid)) == 2)
                assert render(port, 0), "the server does not render"
                return {
                    "workers": sorted(workers_of(process.pid)),
                    "listeners": listeners(port),
                    "connections_per_worker": spread(port, process),
                    "restart_failures": restart_failures(port, process.pid),
                }
        finally:
            redis.stop()


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "")))
