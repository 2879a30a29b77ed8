"""Redis connection: the embedded server by default, or the server or cluster named by ``REDIS_URL``.

``REDIS_URL`` forms:

* ``redis://host:port/db``, ``rediss://...``, ``unix:///path/redis.sock``: one server.
* ``redis+cluster://host1:port1,host2:port2,...`` (``rediss+cluster://`` for TLS): a Redis
  Cluster through redis-py's ``RedisCluster``; the listed nodes are startup nodes (see
  ``bff/store/cluster_url.py``). Every multi-key operation of the stores stays inside one
  hash slot (see ``bff/store/keys.py``); non-transactional pipelines may span slots, and
  the cluster client splits them per node.
"""

from __future__ import annotations

from typing import cast

import redis
from flask import Flask, current_app
from redis.cluster import ClusterNode, RedisCluster

from bff.settings import Settings
from bff.store.cluster_url import is_cluster_url, parse_cluster_url
from bff.store.embedded import EmbeddedRedis

EXTENSION_KEY = "onsite.redis"


def connect(settings: Settings) -> tuple[redis.Redis, EmbeddedRedis | None]:
    """Return a client for the configured server, starting the embedded one when needed.

    Every command has a short socket timeout (``settings.redis_timeout_s``) so that a dead
    Redis costs a render a bounded delay, not a hung worker.
    """
    embedded = None
    url = settings.redis_url
    if url is not None and is_cluster_url(url):
        return connect_cluster(url, settings.redis_timeout_s), None
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


def connect_cluster(url: str, timeout_s: float) -> redis.Redis:
    """A ``RedisCluster`` client for a ``redis+cluster://`` URL.

    The stores are typed against ``redis.Redis``; ``RedisCluster`` offers the same commands
    and pipelines they use (a transactional pipeline must stay in one slot, which the key
    schema guarantees), so it is handed out under that type.
    """
    address = parse_cluster_url(url)
    cluster = RedisCluster(
        startup_nodes=[ClusterNode(host, port) for host, port in address.nodes],  # type: ignore[no-untyped-call]
        username=address.username,
        password=address.password,
        ssl=address.ssl,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
    )
    return cast(redis.Redis, cluster)


def is_cluster(client: object) -> bool:
    """Whether ``client`` talks to a Redis Cluster."""
    return isinstance(client, RedisCluster)


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
