"""The production servers as tests start them: gunicorn with gunicorn.conf.py, or granian through
bff/granian_server.py, on a free loopback port, each with a start timeout and stopped
(SIGTERM, then SIGKILL to its process group) by the code that started it."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.load.servers import nginx
from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from e2e.loopback import free_port

SERVERS = ("gunicorn", "granian")
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 25


def command(kind: str) -> list[str]:
    """How production starts ``kind`` (docs/serving.md)."""
    if kind == "gunicorn":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(PROJECT_DIR / "gunicorn.conf.py"),
            "bff:create_app()",
        ]
    if kind == "granian":
        return [sys.executable, "-m", "bff.granian_server"]
    raise ValueError(kind)


def server_env(redis_url: str, var_dir: Path, workers: int, **extra: str) -> tuple[dict[str, str], int]:
    """The environment of a production server on a free port (production mode, a random key)."""
    port = free_port()
    env = {
        **os.environ, "REDIS_URL": redis_url, "VAR_DIR": str(var_dir), "ONSITE_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers), "ONSITE_LOG_LEVEL": "warning", "PYTHONPATH": str(PROJECT_DIR),
        "ONSITE_SECRET_KEY": secrets.token_hex(32), **extra,
    }  # fmt: skip
    own = {"ONSITE_ENV", "GUNICORN_BIND", "GUNICORN_CMD_ARGS", "GUNICORN_WORKER_CLASS", "ONSITE_REUSE_PORT"}
    for name in own - set(extra):
        env.pop(name, None)  # the configurations' own defaults
    if "PROMETHEUS_MULTIPROC_DIR" not in extra:
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env, port


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextlib.contextmanager
def running(kind: str, env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``kind`` serving until the block ends; ready when ``/readyz`` answers 200."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command(kind), cwd=PROJECT_DIR, env=env, stdout=out, stderr=out, start_new_session=True
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                with contextlib.suppress(OSError):
                    if get(f"http://127.0.0.1:{port}/readyz")[0] == 200:
                        break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{kind} did not become ready: {log.read_text()[-2000:]!r}")
                time.sleep(0.1)
            yield process
        finally:
            stop_process(process, STOP_TIMEOUT_S, group=True)


@contextlib.contextmanager
def behind_proxy(kind: str, redis_url: str, directory: Path, workers: int) -> Iterator[str]:
    """``kind`` with ``workers`` workers behind docker/nginx.conf (both of its pools); yields
    the proxy's base URL. Both are stopped when the block ends."""
    env, port = server_env(redis_url, directory / "var", workers)
    with running(kind, env, port, directory / "server.log"):
        upstream = f"127.0.0.1:{port}"
        with nginx(directory / "nginx", upstream, upstream) as base:
            yield base
