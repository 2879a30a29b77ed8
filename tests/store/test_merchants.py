"""MerchantStore: versioned cache over Redis."""

from __future__ import annotations

import json

import redis

from bff.settings import DEFAULT_DEMO_DATA
from bff.store.merchants import MerchantStore


def test_new_version_is_noticed_by_other_processes(redis_client: redis.Redis) -> None:
    writer, reader = MerchantStore(redis_client), MerchantStore(redis_client)
    doc = json.loads(DEFAULT_DEMO_DATA.read_text(encoding="utf-8"))
    writer.save(doc)
    assert reader.get("demo").name == doc["name"]  # type: ignore[union-attr]
    doc["name"] = "Renamed"
    writer.save(doc)
    assert reader.get("demo").name == "Renamed"  # type: ignore[union-attr]


def test_unknown_merchant_is_none(redis_client: redis.Redis) -> None:
    assert MerchantStore(redis_client).get("nobody") is None
