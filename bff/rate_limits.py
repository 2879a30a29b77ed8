"""Rate limits: moving windows of the ``limits`` library, kept in the app's Redis.

JSON-RPC methods share one route, so methods call ``enforce(name, limit, key)`` for
their own budgets instead of decorating the route. Over the limit, the caller gets
``RateLimited`` (-32005) with ``data.retry_after_s``; HTTP routes get 429 and Retry-After.

``limits`` is used directly rather than through flask-limiter: no route is decorated, and
flask-limiter's per-request hook cost every request, the render included, about 110 µs
for nothing (docs/serving.md).
"""

from __future__ import annotations

import hashlib
import math
import time
from urllib.parse import quote

from flask import Flask, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bff.errors import RateLimited

EXTENSION_KEY = "onsite.limiter"


def storage_uri(redis_url: str) -> str:
    """The ``limits`` storage URI for the app's Redis URL (``unix://`` becomes ``redis+unix://``)."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + quote(redis_url.removeprefix("unix://").split("?", 1)[0])
    return redis_url


def init_app(app: Flask, redis_url: str) -> MovingWindowRateLimiter:
    """Keep the moving-window limiter on the app; Redis is reached on the first hit."""
    limiter = MovingWindowRateLimiter(storage_from_string(storage_uri(redis_url)))
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
    limiter: MovingWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
    item = parse(limit)
    if limiter.hit(item, name, key):
        return
    reset_at, _ = limiter.get_window_stats(item, name, key)
    raise RateLimited(max(1, math.ceil(reset_at - time.time())))
