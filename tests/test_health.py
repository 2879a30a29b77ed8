"""/healthz (alive) and /readyz (Redis reachable, campaigns loaded) against real redis-servers."""

from __future__ import annotations

from pathlib import Path

from bff import create_app
from bff.settings import Settings
from bff.store.embedded import EmbeddedRedis


def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_ready_when_redis_answers_and_campaigns_load(app, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready" and body["checks"] == {"redis": "ok", "campaigns": "ok"}
    assert body["campaigns"] >= 1
    assert app.extensions["onsite.merchants"].cached("demo") is not None  # the probe warmed the cache


def test_not_ready_when_a_ready_merchant_has_no_configuration(settings) -> None:  # type: ignore[no-untyped-def]
    client = create_app(settings.replace(ready_merchants=("demo", "missing"))).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["campaigns"] == "configuration of 'missing' did not load"


def test_not_ready_when_redis_is_down_but_still_alive(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path / "own-redis")
    url = server.start()
    try:
        app = create_app(Settings(redis_url=url, var_dir=tmp_path / "var", testing=True, log_level="error"))
        client = app.test_client()
        assert client.get("/readyz").status_code == 200
    finally:
        server.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"].startswith("unreachable")
    assert client.get("/healthz").status_code == 200
