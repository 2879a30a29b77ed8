"""Merchant documents in Redis, behind a small in-process cache invalidated by version.

The render path calls ``get(client_id)``: one ``GET`` of the version counter, and only
when it moved, a second ``GET`` of the document. When Redis is down, a cached merchant
is still served (stale but consistent) and ``StoreUnavailable`` is raised only for a
merchant this process has never seen.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import redis

from bff.decisions.merchant import Merchant, parse_merchant
from bff.errors import StoreUnavailable
from bff.store import keys


class MerchantStore:
    """Read and write merchant documents; thread-safe cache of parsed ``Merchant`` objects."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._cache: dict[str, tuple[int, Merchant]] = {}
        self._lock = threading.Lock()

    def save(self, doc: dict[str, Any]) -> Merchant:
        """Validate and store ``doc``; bump the version so every process reloads it."""
        merchant = parse_merchant(doc)
        payload = json.dumps(doc, sort_keys=True, separators=(",", ":"))
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.set(keys.merchant_key(merchant.client_id), payload)
                pipe.incr(keys.merchant_version_key(merchant.client_id))
                pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("could not save the merchant document") from exc
        return merchant

    def get(self, client_id: str) -> Merchant | None:
        """The merchant, or None when there is no such client."""
        cached = self._cache.get(client_id)
        try:
            raw_version = self.client.get(keys.merchant_version_key(client_id))
            version = int(raw_version or 0)
            if cached is not None and cached[0] == version:
                return cached[1]
            if version == 0:
                return None
            payload = self.client.get(keys.merchant_key(client_id))
        except redis.RedisError as exc:
            if cached is not None:
                return cached[1]
            raise StoreUnavailable("merchant configuration is unreachable") from exc
        if payload is None:
            return None
        merchant = parse_merchant(json.loads(payload))
        with self._lock:
            self._cache[client_id] = (version, merchant)
        return merchant
