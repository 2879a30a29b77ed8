"""Both production servers (gunicorn with gunicorn.conf.py, granian through bff/granian_server.py),
2 workers on loopback: readiness, /metrics summed across workers (prometheus-client
multiprocess mode), the configuration version pushed to every worker, production by
default (refusing to start without ONSITE_SECRET_KEY), and a bad server setting refused."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.load.servers import child_pids
from bff.processes import stop_process
from bff.settings import PROJECT_DIR
from bff.store.embedded import EmbeddedRedis
from bff.store.merchant_config import MerchantConfigStore
from tests.demo_render import demo_render_call
from tests.production_server import SERVERS, START_TIMEOUT_S, command, get, running, server_env
from tests.test_metrics import sample

CALLS = 60


@pytest.fixture(params=SERVERS)
def server(request, redis_server: EmbeddedRedis, redis_client, tmp_path: Path) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(kind, base URL) of a production server with 2 workers, stopped after the test."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"")  # a stale file: the start must remove it
    env, port = server_env(redis_server.url, tmp_path / "var", 2, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
    with running(request.param, env, port, tmp_path / "server.log") as process:
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(child_pids(process.pid)) != 2:  # ready once the first worker is
            assert time.monotonic() < deadline, "the second worker did not start"
            time.sleep(0.1)
        yield request.param, f"http://127.0.0.1:{port}"


def render(base: str, n: int, amount: int | None = None) -> dict:  # type: ignore[type-arg]
    body = demo_render_call(f"{n:032x}", n)
    if amount is not None:
        body["params"]["purchase_amount"] = amount
    request = urllib.request.Request(
        f"{base}/rpc", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def test_metrics_are_summed_over_the_workers(server: tuple[str, str], tmp_path: Path) -> None:
    _, base = server
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda n: render(base, n), range(CALLS)))
    assert all(r["result"]["kind"] == "badge" for r in results)
    assert get(f"{base}/healthz")[0] == 200
    status, body = get(f"{base}/metrics")
    assert status == 200
    text = body.decode()
    assert sample(text, "onsite_rpc_calls_total", method="placements.render", outcome="ok") == CALLS
    assert sample(text, "onsite_http_requests_total", route="/rpc", status="200") == CALLS
    files = {p.name for p in (tmp_path / "metrics").glob("*.db")}
    assert "counter_999999.db" not in files
    assert any(name.startswith("histogram_") for name in files)
    assert not (tmp_path / "var" / "secret.key").exists()  # the given key, not a generated one


def test_a_saved_configuration_reaches_every_worker(server: tuple[str, str], redis_client) -> None:  # type: ignore[no-untyped-def]
    """Every worker renders the demo badge (so trusts its version); a campaign saved by another
    process must show in every render within the staleness bound."""
    _, base = server
    with ThreadPoolExecutor(max_workers=6) as pool:
        assert all("result" in r for r in pool.map(lambda n: render(base, n), range(40)))
    store = MerchantConfigStore(redis_client)
    config = store.load("demo")
    assert config is not None
    store.documents.save(
        {**_document(redis_client), "disabled": True},
        {"kind": "system", "id": "test"},
        "2026-12-06T00:00:00Z",
    )
    saved_at = time.monotonic()
    time.sleep(store.versions.trust_s + 0.1)  # the bound, whether or not the message arrived
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(lambda n: render(base, 1000 + n), range(40)))
    assert all("error" in r for r in replies), "a worker rendered a configuration older than the bound"
    assert time.monotonic() - saved_at < 30
    store.versions.stop()


def _document(redis_client) -> dict:  # type: ignore[no-untyped-def,type-arg]
    from bff.store import keys

    return json.loads(redis_client.get(keys.merchant_key("demo")))  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", SERVERS)
@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (None, "ONSITE_SECRET_KEY is required in production"),
        ("x" * 31, "ONSITE_SECRET_KEY must be at least 32 bytes"),
    ],
)
def test_a_server_refuses_to_start_without_a_secret_key(
    redis_server: EmbeddedRedis, tmp_path: Path, kind: str, secret: str | None, message: str
) -> None:
    env, _ = server_env(redis_server.url, tmp_path / "var", 1)
    env.pop("ONSITE_SECRET_KEY")
    if secret is not None:
        env["ONSITE_SECRET_KEY"] = secret
    assert_refused(kind, env, f"onsite: refusing to start: {message}")
    assert not (tmp_path / "var" / "secret.key").exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WEB_CONCURRENCY", "zero", "WEB_CONCURRENCY must be a positive integer, not 'zero'"),
        ("ONSITE_BIND", "localhost", "bind address must be host:port, not 'localhost'"),
        ("ONSITE_THREADS", "500", "ONSITE_THREADS must be 1-64, not '500'"),
    ],
)
def test_the_granian_launcher_refuses_a_bad_setting_in_one_line(
    redis_server: EmbeddedRedis, tmp_path: Path, name: str, value: str, message: str
) -> None:
    """(gunicorn parses its own bind address and WEB_CONCURRENCY.)"""
    env, _ = server_env(redis_server.url, tmp_path / "var", 1)
    env[name] = value
    assert_refused("granian", env, f"onsite: refusing to start: {message}")


def test_gunicorn_refuses_a_bad_reuse_port_setting_in_one_line(
    redis_server: EmbeddedRedis, tmp_path: Path
) -> None:
    env, _ = server_env(redis_server.url, tmp_path / "var", 1)
    env["ONSITE_REUSE_PORT"] = "yes"
    assert_refused("gunicorn", env, "onsite: refusing to start: ONSITE_REUSE_PORT must be 1 or 0, not 'yes'")


def assert_refused(kind: str, env: dict[str, str], line: str) -> None:
    process = subprocess.Popen(
        command(kind), cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=START_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"{kind} started with {line!r} expected") from exc
    finally:
        stop_process(process, group=True)  # master and any workers, if it did start
    assert process.returncode != 0
    assert line in stderr
    assert "Traceback" not in stderr
