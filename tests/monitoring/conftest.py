"""Fixtures of the monitoring tests: subprocesses of ``flask monitor`` and a Slack receiver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from bff.store.embedded import EmbeddedRedis

STOP_TIMEOUT_S = 10


@dataclass
class SlackReceiver:
    """A local HTTP server standing in for a Slack incoming webhook; records every POST."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # replies to give first; then 200

    def messages(self) -> list[dict[str, Any]]:
        return [r["json"] for r in self.requests if r["status"] == 200]


@pytest.fixture
def slack() -> Iterator[SlackReceiver]:
    """A webhook receiver on a free loopback port, stopped after the test."""
    receiver = SlackReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            receiver.requests.append({"path": self.path, "json": json.loads(body), "status": status})
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"error")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/XXXX"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    thread.join(STOP_TIMEOUT_S)


@pytest.fixture
def monitor_process(redis_server: EmbeddedRedis, tmp_path: Path) -> Iterator[Any]:
    """Start ``flask --app bff monitor ...`` subprocesses; each is stopped (then killed) at the end."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        environ = {
            **os.environ,
            "REDIS_URL": redis_server.url,
            "VAR_DIR": str(tmp_path / "var"),
            "ONSITE_LOG_LEVEL": "warning",
            "PYTHONPATH": str(PROJECT_DIR),
            **(env or {}),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "bff", "monitor", *args, "--max-seconds", "90"],
            cwd=PROJECT_DIR, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        processes.append(process)
        return process

    yield start
    for process in processes:
        stop_process(process, STOP_TIMEOUT_S)
        if process.stderr is not None:
            process.stderr.close()
