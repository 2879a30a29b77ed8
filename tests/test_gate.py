"""bench/gate end to end: it builds its own stack (redis-server, gunicorn or granian), loads it with wrk,
and its exit code follows the thresholds. Speed itself is measured in bench/, not here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from bff.settings import PROJECT_DIR


@pytest.fixture(autouse=True)
def wrk_installed() -> None:
    """bin/setup installs wrk: without it the gate cannot be tested, and that is a failure, not a skip."""
    assert shutil.which("wrk") is not None, "wrk is missing: run bin/setup (it installs Debian's wrk)"


def gate(*options: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    command = [sys.executable, str(PROJECT_DIR / "bench" / "gate"), "--profiles", "500", "--seconds", "1",
               "--rate", "30", "--workers", "1", *options]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=PROJECT_DIR)
    return out.returncode, json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("server", ["gthread", "granian"])
def test_the_gate_passes_within_its_thresholds_and_fails_past_them(server: str) -> None:
    code, summary = gate("--server", server, "--max-p99-ms", "5000", "--max-error-rate", "0.01")
    assert (code, summary["gate"], summary["errors"]) == (0, "pass", 0), summary
    assert summary["requests"] >= 20
    code, summary = gate("--server", server, "--max-p99-ms", "0.001")
    assert (code, summary["gate"]) == (1, "fail"), summary
    assert summary["failures"][0].startswith("p99 ")


def test_the_gate_exits_2_when_it_cannot_run() -> None:
    code, summary = gate("--url", "http://127.0.0.1:9/rpc")
    assert (code, summary["gate"]) == (2, "error")
