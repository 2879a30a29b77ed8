"""Fixtures: a real redis-server per test session, then app -> client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bff import create_app
from bff.settings import Settings
from bff.store.embedded import EmbeddedRedis


@pytest.fixture
def redis_client(redis_server: EmbeddedRedis) -> Iterator[redis.Redis]:
    """A client on an empty database."""
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def settings(redis_server: EmbeddedRedis, redis_client: redis.Redis, tmp_path: Path) -> Settings:
    """Test settings on the session's Redis (flushed for each test)."""
    return Settings(redis_url=redis_server.url, var_dir=tmp_path / "var", testing=True, log_level="warning")


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    """The app, with the demo merchant seeded."""
    return create_app(settings)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def rpc(client):  # type: ignore[no-untyped-def]
    """Call one JSON-RPC method; returns the decoded response object once its writes have landed."""

    def call(method: str, params: object, request_id: object = 1) -> dict:  # type: ignore[type-arg]
        body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
        response = client.post("/rpc", json=body)
        assert response.status_code == 200, response.data
        # A new visit's state is written behind the reply (bff/store/background_writes.py):
        # let it land, so that what a test reads from Redis next is what the render wrote.
        assert client.application.extensions["onsite.renderer"].writes.drain()
        return response.get_json()  # type: ignore[no-any-return]

    return call


@pytest.fixture
def token_for(app):  # type: ignore[no-untyped-def]
    """Sign a customer token for a demo shopper, as the merchant's server would."""
    from bff.demo import customer_token

    return lambda ref, ttl_s=3600: customer_token(app, "demo", ref, ttl_s)


@pytest.fixture
def api_key(app) -> str:  # type: ignore[no-untyped-def]
    """A merchant-admin API key for the demo merchant."""
    import datetime as dt

    secret, _ = app.extensions["onsite.api_keys"].create(
        "demo", "merchant_admin", "tests", dt.datetime.now(dt.UTC)
    )
    return secret


@pytest.fixture
def admin_rpc(client, api_key):  # type: ignore[no-untyped-def]
    """Call an admin method with the demo merchant's key."""

    def call(method: str, params: object, key: str | None = api_key) -> dict:  # type: ignore[type-arg]
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        response = client.post("/rpc", json=body, headers=headers)
        assert response.status_code == 200, response.data
        return response.get_json()  # type: ignore[no-any-return]

    return call
