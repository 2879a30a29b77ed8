"""Redis killed while placements render under load: no 5xx, bounded latency, recovery.

Real processes: a private redis-server (killed with SIGKILL, then restarted on the same
AOF), the app on a real loopback HTTP server, and client threads posting renders.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from werkzeug.serving import make_server

from bff import create_app
from bff.settings import Settings
from bff.store.embedded import EmbeddedRedis
from tests.demo_render import demo_render_call

THREADS = 4
MAX_LATENCY_S = 1.5  # Redis calls time out after 0.25 s; a render must never hang on a dead Redis


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[EmbeddedRedis, int, Any]]:
    """Private redis-server + the app on a free port; both stopped at the end."""
    server = EmbeddedRedis(tmp_path / "redis")
    url = server.start()
    app = create_app(Settings(redis_url=url, var_dir=tmp_path / "var", log_level="error"))
    http_server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http_server.serve_forever, daemon=True)
    thread.start()
    yield server, http_server.server_port, app
    http_server.shutdown()
    thread.join(10)
    server.stop()


def render(port: int, session: str) -> tuple[int, dict[str, Any], float]:
    body = json.dumps(demo_render_call(session, 1))
    start = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/rpc", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read()), time.monotonic() - start
    finally:
        connection.close()


def hammer(
    port: int, stop: threading.Event, results: list[tuple[int, dict[str, Any], float]], n: int
) -> None:
    i = 0
    while not stop.is_set():
        results.append(render(port, f"load-{n}-{i:020d}"))
        i += 1


def test_renders_fall_back_then_recover(stack) -> None:  # type: ignore[no-untyped-def]
    server, port, _ = stack
    status, warm, _ = render(port, "warm-up-session-00001")
    assert status == 200 and warm["result"]["kind"] == "badge"

    stop, results = threading.Event(), []  # type: ignore[var-annotated]
    threads = [threading.Thread(target=hammer, args=(port, stop, results, n)) for n in range(THREADS)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    server.process.kill()  # type: ignore[union-attr]
    server.process.wait(10)  # type: ignore[union-attr]
    server.process = None
    killed_at = len(results)
    time.sleep(2.0)
    during = results[killed_at:]
    restarted = EmbeddedRedis(server.var_dir)
    restarted.start()
    try:
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join(20)
        assert during, "no request ran while Redis was down"
        assert all(status == 200 for status, _, _ in results), "no 5xx, ever"
        assert all(answer["result"]["kind"] == "badge" for _, answer, _ in during), (
            "the cached campaign still renders"
        )
        assert max(latency for _, _, latency in during) < MAX_LATENCY_S
        # Recovery: stickiness is written again once Redis is back.
        status, answer, _ = render(port, "after-recovery-000001")
        assert status == 200 and answer["result"]["kind"] == "badge"
        client = redis.Redis.from_url(restarted.url)
        deadline = time.monotonic() + 10
        while (
            client.get("onsite:{m:demo}:session:after-recovery-000001") is None
            and time.monotonic() < deadline
        ):
            render(port, "after-recovery-000001")
            time.sleep(0.1)
        assert client.get("onsite:{m:demo}:session:after-recovery-000001") is not None
        client.close()
    finally:
        stop.set()
        restarted.stop()


def test_a_never_seen_merchant_gets_a_clean_error_while_redis_is_down(stack) -> None:  # type: ignore[no-untyped-def]
    server, port, app = stack
    app.extensions["onsite.merchants"]._cache.clear()
    server.stop()
    status, answer, latency = render(port, "cold-session-0000001")
    assert status == 200
    assert answer["error"]["code"] == -32002
    assert latency < MAX_LATENCY_S
