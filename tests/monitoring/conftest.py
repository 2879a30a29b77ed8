"""Fixtures of the monitoring tests: subprocesses of ``flask monitor`` and a Slack receiver."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from bff.store.embedded import EmbeddedRedis
from tests.slack_receiver import SlackReceiver

STOP_TIMEOUT_S = 10


@pytest.fixture
def slack() -> Iterator[SlackReceiver]:
    """A webhook receiver on a free loopback port, stopped after the test."""
    with SlackReceiver.running() as receiver:
        yield receiver


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
