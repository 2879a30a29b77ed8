"""The embedded redis-server: start, AOF on, reuse, stop, and a clear error without a binary."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from bff import create_app
from bff.errors import RedisNotInstalled
from bff.settings import Settings
from bff.store.embedded import EmbeddedRedis


def test_starts_with_aof_and_stops(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    url = server.start()
    client = redis.Redis.from_url(url)
    try:
        assert client.config_get("appendonly")["appendonly"] == "yes"
        client.set("k", "v")
        second = EmbeddedRedis(tmp_path)
        assert second.start() == url
        assert second.process is None  # reused, not owned
    finally:
        client.close()
        server.stop()
    assert server.process is None
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(url, socket_timeout=0.5).ping()
    server.stop()  # idempotent


def test_data_survives_a_restart_via_aof(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    client = redis.Redis.from_url(server.start())
    client.set("durable", "yes")
    client.close()
    server.stop()
    client = redis.Redis.from_url(server.start())
    try:
        assert client.get("durable") == b"yes"
    finally:
        client.close()
        server.stop()


def test_missing_binary_gives_install_hint(tmp_path: Path) -> None:
    with pytest.raises(RedisNotInstalled, match="apt-get install redis-server"):
        EmbeddedRedis(tmp_path, executable="redis-server-that-does-not-exist").start()


def test_app_without_redis_url_owns_an_embedded_server(tmp_path: Path) -> None:
    app = create_app(Settings(var_dir=tmp_path, testing=True, log_level="warning"))
    embedded = app.extensions["onsite.embedded_redis"]
    try:
        assert embedded is not None and embedded.process is not None
        assert (tmp_path / "redis.sock").exists()
        assert app.test_client().get("/frame/placement?client_id=demo").status_code == 200
    finally:
        embedded.stop()
