"""Monitoring worker killed, then Redis restarted: no accepted event is lost, counts stay exact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bff.monitoring import keys
from bff.monitoring.ingest import stream
from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from bff.store.embedded import EmbeddedRedis
from tests.monitoring.test_worker import expected_counts, fill_stream, stored_counts

STOP_TIMEOUT_S = 10


def drained(client: redis.Redis) -> bool:
    """Every entry delivered and acknowledged.

    Compares ids rather than trusting XINFO's ``lag``, which Redis 7.0 reports as unknown
    (null) after it reloads a stream from the AOF.
    """
    group = next(g for g in client.xinfo_groups(keys.events_stream()) if g["name"] == keys.GROUP.encode())
    last = client.xinfo_stream(keys.events_stream())["last-generated-id"]
    return int(group["pending"]) == 0 and group["last-delivered-id"] == last


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def start_worker(
    url: str, tmp_path: Path, name: str, processes: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "REDIS_URL": url,
        "VAR_DIR": str(tmp_path / "var"),
        "ONSITE_LOG_LEVEL": "error",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "bff", "monitor", "run", "--consumer", name, "--batch", "5",
         "--claim-idle-ms", "300", "--max-seconds", "90"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    processes.append(process)
    return process


def test_worker_killed_then_redis_restarted(private_redis: EmbeddedRedis, tmp_path: Path) -> None:
    client = redis.Redis.from_url(private_redis.url)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        fill_stream(client, batches=800, size=10)
        stream.ensure_group(client)
        total = client.xlen(keys.events_stream())
        victim = start_worker(private_redis.url, tmp_path, "victim", processes)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            group = next(g for g in client.xinfo_groups(keys.events_stream()) if g["name"] == b"rollup")
            if int(group["entries-read"] or 0) >= total // 3:
                break
            time.sleep(0.005)
        victim.send_signal(signal.SIGKILL)
        victim.wait(STOP_TIMEOUT_S)
        # Redis goes down and comes back: everything accepted must be replayed from the AOF.
        client.close()
        private_redis.stop()
        private_redis.start()
        client = redis.Redis.from_url(private_redis.url)
        assert client.xlen(keys.events_stream()) == total, "an accepted event was lost"
        start_worker(private_redis.url, tmp_path, "victim", processes)
        start_worker(private_redis.url, tmp_path, "second", processes)
        deadline = time.monotonic() + 60
        while not drained(client) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert drained(client)
        expected = expected_counts(client)
        assert stored_counts(client, {m for m, _, _ in expected}) == expected
    finally:
        for process in processes:
            stop_process(process, STOP_TIMEOUT_S)
        client.close()
