"""Liveness and readiness.

``/healthz``: 200 while the process runs (restart it when this fails).
``/readyz``: 200 when Redis answers and the configurations (merchant + campaigns) of the
merchants in ``ONSITE_READY_MERCHANTS`` load, which also warms this worker's cache; 503
with the failing check named otherwise (take the instance out of the load balancer).
Both are cheap and bounded by the Redis socket timeout.
"""

from __future__ import annotations

from typing import Any

import redis
from flask import Blueprint, current_app

from bff.errors import StoreUnavailable
from bff.store.connection import get_redis
from bff.store.merchant_config import MerchantConfigStore

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> tuple[dict[str, Any], int]:
    checks: dict[str, Any] = {"redis": "ok", "campaigns": "ok"}
    try:
        get_redis().ping()
    except redis.RedisError as exc:
        checks["redis"] = f"unreachable ({type(exc).__name__})"
    configs: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    loaded = 0
    for client_id in current_app.extensions["onsite.settings"].ready_merchants:
        try:
            config = configs.load(client_id)
        except StoreUnavailable:
            config = None
        if config is None:
            checks["campaigns"] = f"configuration of {client_id!r} did not load"
            break
        loaded += len(config.campaigns)
    ready = all(value == "ok" for value in checks.values())
    body = {"status": "ready" if ready else "unavailable", "checks": checks, "campaigns": loaded}
    return body, 200 if ready else 503
