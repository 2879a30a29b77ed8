"""Redis connection: the embedded server by default, or the server named by ``REDIS_URL``."""

from __future__ import annotations

import redis
from flask import Flask, current_app

from bff.settings import Settings
from bff.store.embedded import EmbeddedRedis

EXTENSION_KEY = "onsite.redis"


def connect(settings: Settings) -> tuple[redis.Redis, EmbeddedRedis | None]:
    """Return a client for the configured server, starting the embedded one when needed.

    Every command has a short socket timeout (``settings.redis_timeout_s``) so that a dead
    Redis costs a render a bounded delay, not a hung worker.
    """
    embedded = None
    url = settings.redis_url
    if url is None:
        embedded = EmbeddedRedis(settings.var_dir)
        url = embedded.start()
    client = redis.Redis.from_url(
        url,
        socket_timeout=settings.redis_timeout_s,
        socket_connect_timeout=settings.redis_timeout_s,
        health_check_interval=30,
    )
    return client, embedded


def init_app(app: Flask, settings: Settings) -> None:
    """Connect and attach the client to ``app.extensions``."""
    client, embedded = connect(settings)
    app.extensions[EXTENSION_KEY] = client
    app.extensions["onsite.embedded_redis"] = embedded


def get_redis() -> redis.Redis:
    """The Redis client of the current app."""
    client: redis.Redis = current_app.extensions[EXTENSION_KEY]
    return client


def get_redis_of(app: Flask) -> redis.Redis:
    """The Redis client attached to ``app`` (outside a request)."""
    client: redis.Redis = app.extensions[EXTENSION_KEY]
    return client
