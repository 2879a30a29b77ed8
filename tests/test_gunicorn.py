"""gunicorn with the repo's gunicorn.conf.py: 2 workers on loopback, readiness, and /metrics
summed across workers (prometheus-client multiprocess mode); production by default, so it
refuses to start without ONSITE_SECRET_KEY. Started and stopped here, each with a timeout."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from bff.store.embedded import EmbeddedRedis
from e2e.loopback import free_port
from tests.demo_render import demo_render_call
from tests.test_metrics import sample

START_TIMEOUT_S = 30
CALLS = 60


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def gunicorn(redis_server: EmbeddedRedis, redis_client, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Base URL of a gunicorn master with 2 sync workers, stopped (SIGTERM, then SIGKILL) after the test."""
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"")  # a stale file: on_starting must remove it
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "VAR_DIR": str(tmp_path / "var"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "ONSITE_LOG_LEVEL": "warning",
        "ONSITE_SECRET_KEY": secrets.token_hex(32),
    }
    env.pop("ONSITE_ENV", None)  # gunicorn.conf.py's default: production
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_DIR / "gunicorn.conf.py"), "bff:create_app()"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if get(f"{base}/readyz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not become ready: {process.stderr.read()[-2000:]!r}")  # type: ignore[union-attr]
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def render(base: str, n: int) -> dict:  # type: ignore[type-arg]
    body = demo_render_call(f"{n:032x}", n)
    request = urllib.request.Request(
        f"{base}/rpc", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_metrics_are_summed_over_the_workers(gunicorn: str, tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda n: render(gunicorn, n), range(CALLS)))
    assert all(r["result"]["kind"] == "badge" for r in results)
    status, body = get(f"{gunicorn}/metrics")
    assert status == 200
    text = body.decode()
    assert sample(text, "onsite_rpc_calls_total", method="placements.render", outcome="ok") == CALLS
    assert sample(text, "onsite_http_requests_total", route="/rpc", status="200") == CALLS
    files = {p.name for p in (tmp_path / "metrics").glob("*.db")}
    assert "counter_999999.db" not in files
    assert any(name.startswith("histogram_") for name in files)
    assert not (tmp_path / "var" / "secret.key").exists()  # the given key, not a generated one


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (None, "ONSITE_SECRET_KEY is required in production"),
        ("x" * 31, "ONSITE_SECRET_KEY must be at least 32 bytes"),
    ],
)
def test_gunicorn_refuses_to_start_without_a_secret_key(
    redis_server: EmbeddedRedis, tmp_path: Path, secret: str | None, message: str
) -> None:
    env = {**os.environ, "REDIS_URL": redis_server.url, "VAR_DIR": str(tmp_path / "var"),
           "GUNICORN_BIND": f"127.0.0.1:{free_port()}", "WEB_CONCURRENCY": "1"}  # fmt: skip
    for name in ("ONSITE_ENV", "ONSITE_SECRET_KEY", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    if secret is not None:
        env["ONSITE_SECRET_KEY"] = secret
    config = str(PROJECT_DIR / "gunicorn.conf.py")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", config, "bff:create_app()"], cwd=PROJECT_DIR, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=START_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError("gunicorn started without a valid ONSITE_SECRET_KEY") from exc
    finally:
        stop_process(process, group=True)  # master and any workers, if it did start
    assert process.returncode != 0
    assert f"onsite: refusing to start: {message}" in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "var" / "secret.key").exists()
