"""A gunicorn worker killed under load: at most the requests in flight fail, then all succeed."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bff.settings import PROJECT_DIR
from bff.store.embedded import EmbeddedRedis
from e2e.loopback import free_port
from tests.demo_render import demo_render_call

THREADS = 4
START_TIMEOUT_S = 30


def get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def render(port: int, i: int) -> bool:
    body = json.dumps(demo_render_call(f"gunicorn-{i:024d}", i))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", "/rpc", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status == 200 and "result" in json.loads(response.read())
    except (OSError, http.client.HTTPException, ValueError):
        return False
    finally:
        connection.close()


@pytest.fixture
def gunicorn(redis_server: EmbeddedRedis, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """gunicorn with 2 sync workers on a free port; terminated (then killed) at the end."""
    port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "VAR_DIR": str(tmp_path),
        "ONSITE_LOG_LEVEL": "error",
        "PYTHONPATH": str(PROJECT_DIR),
        "ONSITE_SECRET_KEY": secrets.token_hex(32),  # gunicorn.conf.py (read from cwd): production
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "20",
         "--graceful-timeout", "5", "bff:create_app()"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz") == 200:
                break
        except OSError:
            time.sleep(0.1)
    yield process, port
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(15)


def workers_of(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, timeout=10
    )
    return [int(pid) for pid in out.stdout.split()]


def test_killing_a_worker_fails_at_most_the_requests_in_flight(gunicorn) -> None:  # type: ignore[no-untyped-def]
    process, port = gunicorn
    assert render(port, 0)
    outcomes: list[tuple[float, bool]] = []
    stop = threading.Event()

    def load(n: int) -> None:
        i = n * 1_000_000
        while not stop.is_set():
            i += 1
            outcomes.append((time.monotonic(), render(port, i)))

    threads = [threading.Thread(target=load, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    victims = workers_of(process.pid)
    assert len(victims) == 2
    os.kill(victims[0], signal.SIGKILL)
    time.sleep(3.0)
    stop.set()
    for t in threads:
        t.join(20)
    failures = [ok for _, ok in outcomes if not ok]
    assert len(failures) <= THREADS, f"{len(failures)} failed: more than the {THREADS} requests in flight"
    assert sum(ok for _, ok in outcomes[-20:]) == 20, "the service recovers"
    assert len(workers_of(process.pid)) == 2, "the master replaced the worker"
