"""Rate limits (flask-limiter's ``limits`` strategies on the app's Redis).

JSON-RPC methods share one route, so methods call ``enforce(name, limit, key)`` for
their own budgets instead of decorating the route. Over the limit, the caller gets
``RateLimited`` (-32005) with ``data.retry_after_s``; HTTP routes get 429 and Retry-After.
"""

from __future__ import annotations

import hashlib
import math
import time
from urllib.parse import quote

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import parse

from bff.errors import RateLimited
from bff.settings import Settings

EXTENSION_KEY = "onsite.limiter"


def storage_uri(redis_url: str) -> str:
    """The ``limits`` storage URI for the app's Redis URL (``unix://`` becomes ``redis+unix://``)."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + quote(redis_url.removeprefix("unix://").split("?", 1)[0])
    return redis_url


def init_app(app: Flask, settings: Settings, redis_url: str) -> Limiter:
    limiter = Limiter(
        key_func=client_ip,
        app=app,
        storage_uri=storage_uri(redis_url),
        strategy="moving-window",
        key_prefix="onsite-limits",
        headers_enabled=True,
        default_limits=[],
    )
    app.extensions[EXTENSION_KEY] = limiter
    return limiter


def client_ip() -> str:
    """The client address (gunicorn's ``forwarded_allow_ips`` decides whether proxies are trusted)."""
    return request.remote_addr or "unknown"


def key_identity() -> str | None:
    """A stable, non-secret identity of the request's API key, if it carries one."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return hashlib.sha256(secret.strip().encode()).hexdigest()[:16]


def enforce(name: str, limit: str, key: str) -> None:
    """Count one hit of ``name`` for ``key`` against ``limit`` (e.g. ``"100/second"``)."""
    limiter: Limiter = current_app.extensions[EXTENSION_KEY]
    item = parse(limit)
    strategy = limiter.limiter
    if strategy.hit(item, name, key):
        return
    reset_at, _ = strategy.get_window_stats(item, name, key)
    raise RateLimited(max(1, math.ceil(reset_at - time.time())))
