"""Processes of the load benchmarks: a TCP redis-server, gunicorn or granian, wrk. All on loopback, each
with a timeout, each stopped by the code that started it (by its own pid)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import redis

from bff.processes import stop_process
from e2e.loopback import free_port

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).resolve().parent / "render.lua"
START_TIMEOUT_S = 60.0


def stop(process: subprocess.Popen[Any], timeout_s: float = 20.0) -> None:
    """SIGTERM, then SIGKILL to the process group this code created."""
    stop_process(process, timeout_s, group=True)


@contextlib.contextmanager
def redis_server(directory: Path, aof: bool = True) -> Iterator[str]:
    """A redis-server on a free loopback TCP port (AOF everysec, like production); yields its URL."""
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    binary = shutil.which("redis-server") or "redis-server"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory), "--save", "",
         "--appendonly", "yes" if aof else "no", "--appendfsync", "everysec",
         "--hash-max-listpack-entries", "256", "--hash-max-listpack-value", "128",
         "--logfile", str(directory / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_until(lambda: redis.Redis.from_url(url, socket_timeout=1).ping(), "redis-server")
        yield url
    finally:
        stop(process)


SERVER_KINDS = ("gthread", "gthread+reuse_port", "gevent", "granian")


@contextlib.contextmanager
def gunicorn(
    app_spec: str,
    env: dict[str, str],
    workers: int,
    worker_args: str = "",
    ready_path: str = "/readyz",
    nice: int = 0,
    root: Path = ROOT,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn with the repo's gunicorn.conf.py on a free loopback port; yields (base URL, process).

    gunicorn.conf.py makes the app production, which needs ONSITE_SECRET_KEY: a random one
    unless ``env`` or the environment gives one. ``nice`` > 0 starts it (and so its
    workers) at that lower CPU priority, as ``nice -n`` does. ``root``: the source tree to
    serve (another checkout, for a before/after comparison in one run).
    """
    # No worker recycling during a run: the CPU accounting follows each worker's pid.
    extra = {"GUNICORN_CMD_ARGS": f"--max-requests 0 {worker_args}"}
    command = [sys.executable, "-m", "gunicorn", "-c", str(root / "gunicorn.conf.py"), app_spec]
    with _server(command, env | extra, workers, ready_path, nice, root) as served:
        yield served


@contextlib.contextmanager
def granian(
    app_spec: str, env: dict[str, str], workers: int, ready_path: str = "/readyz", root: Path = ROOT
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The production launcher bff/granian_server.py (granian, WSGI) on a free loopback port."""
    command = [sys.executable, "-m", "bff.granian_server", app_spec.removesuffix("()")]
    with _server(command, env, workers, ready_path, 0, root) as served:
        yield served


@contextlib.contextmanager
def app_server(
    kind: str,
    app_spec: str,
    env: dict[str, str],
    workers: int,
    ready_path: str = "/readyz",
    root: Path = ROOT,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """One of ``SERVER_KINDS`` serving ``app_spec`` of the tree ``root``, configured as in production."""
    if kind == "granian":
        with granian(app_spec, env, workers, ready_path, root) as served:
            yield served
        return
    # gthread and gevent on one shared socket, whatever this kernel's tcp_migrate_req says (the
    # flag for trees whose gunicorn.conf.py predates ONSITE_REUSE_PORT).
    reuse = kind == "gthread+reuse_port"
    env = env | {"ONSITE_REUSE_PORT": "1" if reuse else "0"}
    env = env | {"GUNICORN_WORKER_CLASS": "gevent"} if kind == "gevent" else env
    with gunicorn(app_spec, env, workers, "--reuse-port" if reuse else "", ready_path, root=root) as served:
        yield served


@contextlib.contextmanager
def _server(
    command: list[str], env: dict[str, str], workers: int, ready_path: str, nice: int = 0, root: Path = ROOT
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    full_env = {
        "ONSITE_SECRET_KEY": secrets.token_hex(32), **os.environ, **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers), "PYTHONPATH": str(root),
    }  # fmt: skip
    full_env.pop("ONSITE_BIND", None)
    log = open(Path(env["VAR_DIR"]) / f"server-{port}.log", "wb")  # noqa: SIM115 - closed below
    niced = ["nice", "-n", str(nice)] if nice else []
    process = subprocess.Popen(
        [*niced, *command], cwd=root, env=full_env, stdout=log, stderr=log, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _status(base + ready_path) == 200, " ".join(command[2:]), process)
        yield base, process
    finally:
        stop(process)
        log.close()


def local_nginx_conf(
    directory: Path, port: int, render: str, collect: str, per_address_limits: bool = True
) -> str:
    """docker/nginx.conf for loopback: its upstreams at ``render`` and ``collect`` (host:port),
    listening on ``port``, temporary files in ``directory``. ``per_address_limits=False``
    drops the ``limit_req``/``limit_conn`` lines of ``/rpc/collect`` (routing alone)."""
    text = (ROOT / "docker" / "nginx.conf").read_text(encoding="utf-8")
    replaced = {"server bff:8000;": f"server {render};", "server collect:8000;": f"server {collect};",
                "listen 8080;": f"listen 127.0.0.1:{port};",
                "http {": f"http {{\n    client_body_temp_path {directory / 'body'};\n"
                          f"    proxy_temp_path {directory / 'proxy'};"}  # fmt: skip
    for shipped, local in replaced.items():
        if text.count(shipped) != 1:
            raise ValueError(f"docker/nginx.conf no longer holds {shipped!r} once")
        text = text.replace(shipped, local)
    if not per_address_limits:
        limits = ("limit_req ", "limit_conn ")
        text = "\n".join(line for line in text.splitlines() if not line.strip().startswith(limits))
    return text


def nginx_command(directory: Path, conf: Path, *extra: str) -> list[str]:
    """``nginx`` in the foreground with its prefix, error log and pid in ``directory`` (and its
    workers as root when started as root: the temporary directories are the caller's)."""
    user = "user root; " if os.geteuid() == 0 else ""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    return [binary, "-p", str(directory), "-e", str(directory / "error.log"), "-c", str(conf),
            "-g", f"daemon off; {user}pid {directory / 'nginx.pid'};", *extra]  # fmt: skip


@contextlib.contextmanager
def nginx(directory: Path, render: str, collect: str, per_address_limits: bool = True) -> Iterator[str]:
    """nginx with docker/nginx.conf in front of two loopback pools; yields its base URL."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(local_nginx_conf(directory, port, render, collect, per_address_limits), encoding="utf-8")
    quiet = subprocess.DEVNULL
    command = nginx_command(directory, conf)
    process = subprocess.Popen(command, stdout=quiet, stderr=quiet, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _status(base + "/healthz") == 200, "nginx", process)
        yield base
    finally:
        stop(process)


def child_pids(pid: int) -> list[int]:
    """The pids of ``pid``'s children: a server master's workers."""
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, timeout=10)
    return [int(p) for p in out.stdout.split()]


def worker_pids(master: subprocess.Popen[bytes]) -> list[int]:
    return child_pids(master.pid)


def all_workers(master: subprocess.Popen[bytes], count: int, timeout_s: float = 60) -> list[int]:
    """The pids of the ``count`` workers of ``master``, once it has forked them all."""
    deadline = time.monotonic() + timeout_s
    while len(pids := worker_pids(master)) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(pids)} of {count} workers started within {timeout_s:.0f} s")
        time.sleep(0.1)
    return pids


def connections_per_worker(base: str, master: subprocess.Popen[bytes]) -> list[int]:
    """Established client connections held by each worker of the server at ``base``, largest first."""
    port = base.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, timeout=10)  # fmt: skip
    counts = dict.fromkeys(worker_pids(master), 0)
    for pid in re.findall(r"pid=(\d+)", out.stdout):
        if int(pid) in counts:
            counts[int(pid)] += 1
    return sorted(counts.values(), reverse=True)


def redis_pid(url: str) -> int | None:
    """The pid of the redis-server this module started for ``url`` (its title names the port)."""
    port = url.rsplit(":", 1)[1].split("/", 1)[0]
    out = subprocess.run(["pgrep", "-f", f"redis-server 127.0.0.1:{port}"], capture_output=True, text=True,
                         timeout=10)  # fmt: skip
    pids = [int(p) for p in out.stdout.split()]
    return pids[0] if pids else None


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time consumed so far by ``pids`` (from /proc; exited ones count 0)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def wrk(
    url: str, requests_file: Path, seconds: float, connections: int, rate: float = 0, threads: int = 1
) -> dict[str, Any]:
    """One wrk run (closed loop when ``rate`` is 0); returns render.lua's JSON summary."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s",
               "-s", str(LUA), url, "--", str(requests_file), str(rate), str(threads)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in out.stdout.splitlines() if line.startswith("{"))
    result: dict[str, Any] = json.loads(line)
    result["wrk_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["errors"] = result["rpc_errors"] + result["bad_status"] + result["socket_errors"]
    return result


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except OSError:
        return 0


def wait_until(check: Any, what: str, process: subprocess.Popen[Any] | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not become ready within {START_TIMEOUT_S:.0f} s")
