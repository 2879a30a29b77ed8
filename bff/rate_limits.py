"""Rate limits: moving windows of the ``limits`` library, kept in the app's Redis.

JSON-RPC methods share one route, so methods call ``enforce(name, limit, key, cost=n)``
for their own budgets instead of decorating the route; ``cost`` is the work one call
asks for (``events.track`` counts its events, not its calls). Over the limit, the caller
gets ``RateLimited`` (-32005) with ``data.retry_after_s``; HTTP routes get 429 and
Retry-After.

Refusals are remembered in the process (``RefusalMemory``) until the key's window frees,
so a client that keeps calling over its limit costs no Redis round trip per call, and
the endpoint can refuse its public writes before dispatching them (``known_refusal``).

``limits`` is used directly rather than through flask-limiter: no route is decorated, and
flask-limiter's per-request hook cost every request, the render included, about 110 µs
for nothing (docs/serving.md).
"""

from __future__ import annotations

import hashlib
import math
import time
from urllib.parse import quote

import redis
from flask import Flask, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bff.errors import RateLimited, StoreUnavailable
from bff.rpc.auth import bearer_secret

EXTENSION_KEY = "onsite.limiter"
MEMORY_KEY = "onsite.limiter.refusals"
MAX_REMEMBERED = 10_000


class RefusalMemory:
    """What the limiter last refused in this process: ``(name, key) -> (frees_at, remaining)``.

    Exact, never stricter than Redis: a moving window that refused a call only frees room
    when its oldest entry expires (``frees_at``); until then other calls only add entries,
    so a call costing more than the ``remaining`` seen at the refusal cannot fit either.
    Bounded: past ``MAX_REMEMBERED`` keys, expired ones are dropped, then all.
    """

    def __init__(self) -> None:
        self._refused: dict[tuple[str, str], tuple[float, int]] = {}

    def __len__(self) -> int:
        return len(self._refused)

    def retry_after(self, name: str, key: str, cost: int, now: float) -> int | None:
        """Seconds until a call of ``cost`` may fit, if it certainly does not fit now; else None."""
        known = self._refused.get((name, key))
        if known is None or now >= known[0] or cost <= known[1]:
            return None
        return max(1, math.ceil(known[0] - now))

    def remember(self, name: str, key: str, frees_at: float, remaining: int, now: float) -> None:
        if len(self._refused) >= MAX_REMEMBERED:
            self._refused = {k: v for k, v in self._refused.items() if v[0] > now}
            if len(self._refused) >= MAX_REMEMBERED:
                self._refused.clear()
        self._refused[(name, key)] = (frees_at, remaining)


def storage_uri(redis_url: str) -> str:
    """The ``limits`` storage URI for the app's Redis URL (``unix://`` becomes ``redis+unix://``)."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + quote(redis_url.removeprefix("unix://").split("?", 1)[0])
    return redis_url


def init_app(app: Flask, redis_url: str) -> MovingWindowRateLimiter:
    """Keep the moving-window limiter on the app; Redis is reached on the first hit."""
    limiter = MovingWindowRateLimiter(storage_from_string(storage_uri(redis_url)))
    app.extensions[EXTENSION_KEY] = limiter
    app.extensions[MEMORY_KEY] = RefusalMemory()
    return limiter


def client_ip() -> str:
    """The client's address: the TCP peer, or with ``ONSITE_TRUSTED_PROXY_HOPS`` the address
    the trusted proxies forwarded (``bff/proxy.py``); never a header the client chose."""
    return request.remote_addr or "unknown"


def key_identity() -> str | None:
    """A stable, non-secret identity of the request's API key, if it carries one."""
    secret = bearer_secret()
    return None if secret is None else hashlib.sha256(secret.encode()).hexdigest()[:16]


def largest_cost(limit: str) -> int:
    """The most one call may cost under ``limit`` (its amount): a dearer call never fits."""
    return parse(limit).amount


def enforce(name: str, limit: str, key: str, cost: int = 1) -> None:
    """Count ``cost`` hits of ``name`` for ``key`` against ``limit`` (e.g. ``"100/second"``).

    All or nothing: a call that does not fit in what is left of the window is refused
    whole and counts nothing. ``cost`` must be between 1 and ``largest_cost(limit)``.
    """
    refused = known_refusal(name, key, cost)
    if refused is not None:
        raise refused
    limiter: MovingWindowRateLimiter = current_app.extensions[EXTENSION_KEY]
    item = parse(limit)
    try:
        if limiter.hit(item, name, key, cost=cost):
            return
        reset_at, remaining = limiter.get_window_stats(item, name, key)
    except redis.RedisError as exc:  # down, or a counter that is not one (refused, not counted)
        raise StoreUnavailable("the rate limits are unreachable") from exc
    now = time.time()
    current_app.extensions[MEMORY_KEY].remember(name, key, reset_at, remaining, now)
    raise RateLimited(max(1, math.ceil(reset_at - now)))


def known_refusal(name: str, key: str, cost: int = 1) -> RateLimited | None:
    """The refusal ``enforce`` would give now, if this process already knows it (no Redis)."""
    memory: RefusalMemory = current_app.extensions[MEMORY_KEY]
    retry_after = memory.retry_after(name, key, cost, time.time())
    return None if retry_after is None else RateLimited(retry_after)
