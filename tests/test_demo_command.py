"""`flask --app bff demo` (what bin/demo runs) really serves the shop and the frames over HTTP.

A real process on a free loopback port with its own embedded redis-server, stopped the way
a user (Ctrl+C) or a service manager (SIGTERM) stops it, with a kill as the fallback.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import redis

from bff.monitoring import keys
from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from e2e.loopback import free_port
from tests.demo_render import demo_render_call

START_TIMEOUT_S = 60


def _get(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        return int(response.status), response.read()


@contextlib.contextmanager
def demo_server(
    tmp_path: Path, *options: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    """``flask --app bff demo`` on a free port, once it answers /healthz; yields (process, port,
    redis socket). Its output goes to ``tmp_path/demo.log``. With ``REDIS_URL`` in ``env`` it
    uses that server; without, it owns an embedded one, as bin/demo does. Afterwards the
    demo's group and its embedded redis-server are killed if still there."""
    port = free_port()
    environ = {
        **os.environ,
        "VAR_DIR": str(tmp_path / "var"),
        "ONSITE_PUBLIC_ORIGIN": f"http://127.0.0.1:{port}",
        "ONSITE_DEMO_ORIGIN": f"http://localhost:{port}",
    }
    environ.pop("REDIS_URL", None)
    environ |= env or {}
    embedded = "REDIS_URL" not in environ
    socket_path = tmp_path / "var" / "redis.sock"
    log = tmp_path / "demo.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "bff", "demo", *options],
            cwd=PROJECT_DIR, env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert process.poll() is None, log.read_text(errors="replace")
            try:
                if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the demo did not serve within 60 s"
            time.sleep(0.2)
        assert not embedded or _redis_pids(socket_path), "the demo runs no embedded redis-server"
        yield process, port, socket_path
    finally:
        stop_process(process, group=True)
        for pid in _redis_pids(socket_path):  # its own session: not in the demo's group
            os.kill(pid, signal.SIGKILL)


def test_the_demo_command_serves_the_shop_and_renders(tmp_path: Path) -> None:
    with demo_server(tmp_path) as (process, port, socket_path):
        status, page = _get(f"http://localhost:{port}/demo")
        assert status == 200
        assert f"http://127.0.0.1:{port}/onsite.js".encode() in page
        call = json.dumps(demo_render_call("d" * 32)).encode()
        status, body = _get(f"http://127.0.0.1:{port}/rpc", call)
        assert json.loads(body)["result"]["kind"] == "badge"

        process.send_signal(signal.SIGINT)  # Ctrl+C
        process.wait(timeout=20)
        assert _redis_pids(socket_path) == [], "the embedded redis-server outlived the demo"


def test_the_demo_counts_what_shoppers_do(tmp_path: Path) -> None:
    """bin/demo runs the rollup worker and the detector too: a frame's event becomes a rollup."""
    with demo_server(tmp_path, "--monitoring") as (_, port, socket_path):
        event = {
            "id": uuid.uuid4().hex,
            "type": "impression",
            "client_id": "demo",
            "placement_key": "credit-badge",
            "session_id": "e" * 32,
            "ts": int(time.time() * 1000),
            "locale": "en-GB",
        }
        call = {"jsonrpc": "2.0", "method": "events.track", "params": {"events": [event]}}
        _get(f"http://127.0.0.1:{port}/rpc/collect", json.dumps(call).encode())
        client = redis.Redis(unix_socket_path=str(socket_path))
        deadline = time.monotonic() + 15
        while not list(client.scan_iter(f"{keys.PREFIX}:r:*:demo")):
            assert time.monotonic() < deadline, "no rollup of the demo's event within 15 s"
            time.sleep(0.2)
        groups = [g["name"] for g in client.xinfo_groups(keys.events_stream())]
        assert groups in ([keys.GROUP], [keys.GROUP.encode()])
        client.close()


def test_sigterm_stops_the_demo_and_its_redis_server(tmp_path: Path) -> None:
    with demo_server(tmp_path) as (process, _, socket_path):
        process.send_signal(signal.SIGTERM)  # a service manager, `kill`
        process.wait(timeout=20)
        deadline = time.monotonic() + 10
        while _redis_pids(socket_path) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _redis_pids(socket_path) == [], "the embedded redis-server outlived the demo"


def _redis_pids(socket_path: Path) -> list[int]:
    out = subprocess.run(["pgrep", "-f", str(socket_path)], capture_output=True, text=True, timeout=10)
    return [int(pid) for pid in out.stdout.split()]
