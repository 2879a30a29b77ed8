"""A throwaway Redis Cluster on loopback: N masters started with ``redis-server --cluster-enabled yes``
and joined with ``redis-cli --cluster create``. Used by tests/store/test_cluster.py and
bench/cluster_bench.py. Every process runs with a timeout and is stopped by ``stop()``.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

from bff.processes import stop_process

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0
BUS_OFFSET = 10_000  # Redis Cluster's bus port is the client port + 10000


def free_port_pair() -> int:
    """A loopback port whose cluster bus port (+10000) is free too."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port + BUS_OFFSET < 65536 and _free(port + BUS_OFFSET):
            return port
    raise RuntimeError("no free port pair found for a cluster node")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class LocalCluster:
    """``start()`` returns the ``redis+cluster://`` URL; ``stop()`` ends every node (idempotent)."""

    def __init__(self, directory: Path, masters: int = 3) -> None:
        self.directory = Path(directory)
        self.masters = masters
        self.ports: list[int] = []
        self.processes: list[subprocess.Popen[bytes]] = []

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(f"127.0.0.1:{port}" for port in self.ports)

    def start(self) -> str:
        binary = shutil.which("redis-server")
        cli = shutil.which("redis-cli")
        if binary is None or cli is None:
            raise RuntimeError("redis-server and redis-cli are needed for a local cluster")
        try:
            for _ in range(self.masters):
                port = free_port_pair()
                node_dir = self.directory / str(port)
                node_dir.mkdir(parents=True, exist_ok=True)
                self.ports.append(port)
                self.processes.append(
                    subprocess.Popen(
                        [binary, *_node_arguments(port, node_dir)],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
            for port in self.ports:
                _wait(lambda port=port: _node(port).ping(), f"node {port} to answer")  # type: ignore[misc]
            subprocess.run(
                [cli, "--cluster", "create", *(f"127.0.0.1:{p}" for p in self.ports),
                 "--cluster-replicas", "0", "--cluster-yes"],
                check=True, capture_output=True, timeout=START_TIMEOUT_S,
            )  # fmt: skip
            for port in self.ports:
                _wait(lambda port=port: _cluster_ok(port), f"node {port} to report cluster_state:ok")  # type: ignore[misc]
        except BaseException:
            self.stop()
            raise
        return self.url

    def stop(self) -> None:
        processes, self.processes = self.processes, []
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            stop_process(process, STOP_TIMEOUT_S)

    def node_clients(self) -> list[redis.Redis]:
        """One plain client per master (for per-node inspection)."""
        return [_node(port) for port in self.ports]


def _node_arguments(port: int, node_dir: Path) -> list[str]:
    return [
        "--port", str(port), "--bind", "127.0.0.1",
        "--cluster-enabled", "yes", "--cluster-config-file", str(node_dir / "nodes.conf"),
        "--cluster-node-timeout", "5000",
        "--dir", str(node_dir), "--save", "", "--appendonly", "no",
        "--logfile", str(node_dir / "redis.log"), "--daemonize", "no",
        "--hash-max-listpack-entries", "256", "--hash-max-listpack-value", "128",
    ]  # fmt: skip


def _node(port: int) -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=2, socket_connect_timeout=2)


def _cluster_ok(port: int) -> bool:
    info = _node(port).cluster("INFO")  # parsed by redis-py into a dict
    state = info.get("cluster_state") if isinstance(info, dict) else None
    return state in ("ok", b"ok")


def _wait(check: object, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        with contextlib.suppress(redis.RedisError):
            if check():  # type: ignore[operator]
                return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")
