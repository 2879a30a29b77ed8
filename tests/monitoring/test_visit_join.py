"""The visit join, as data (``visit_join_cases.json``): events of one visit share its dimensions.

Each step goes through ``events.track`` (the Flask test client, the real Redis); the
stream entry it produced is then enriched as the rollup worker enriches it. A step's
``expect`` is the visit's ``browser|device|channel|country``, or the dimension values of
an event that joins no visit.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis

from bff.monitoring import keys
from bff.monitoring.ingest import stream
from bff.monitoring.ingest.enrichment import VISIT_DIMENSIONS, enrich
from bff.monitoring.ingest.visit_dimensions import VISIT_TTL_S

CASES = json.loads((Path(__file__).parent / "visit_join_cases.json").read_text(encoding="utf-8"))
AGENTS = {
    "chrome": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "firefox": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "iphone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
}


@pytest.fixture
def keys_of(app: Any) -> dict[str, str]:
    """API keys of ``demo`` and of a second merchant, ``acme``."""
    documents = app.extensions["onsite.merchants"].documents
    documents.save(
        {**documents.current("demo"), "client_id": "acme"}, {"kind": "test", "id": "t"}, "2026-01-01Z"
    )
    now = dt.datetime.now(dt.UTC)
    return {
        m: app.extensions["onsite.api_keys"].create(m, "merchant_admin", "t", now)[0]
        for m in ("demo", "acme")
    }


def send(client: Any, step: dict[str, Any], api_key: str) -> None:
    """One step as its sender sends it: a frame's notification, or a server's call with its key."""
    event = {"id": uuid.uuid4().hex, "ts": int(time.time() * 1000)} | step["event"]
    if "user_agent" in event:
        event["user_agent"] = AGENTS[event["user_agent"]]
    if step["sender"] == "frame":
        event |= {"client_id": step.get("merchant", "demo"), "placement_key": "credit-badge"}
        path, headers = "/rpc/collect", {"User-Agent": AGENTS[step["agent"]]}
    else:
        if event["type"] == "order_created":
            event |= {"order_id": uuid.uuid4().hex[:12], "amount": 1000, "currency": "GBP"}
        path, headers = "/rpc", {"Authorization": f"Bearer {api_key}", "User-Agent": "merchant-server/1.0"}
    body = {"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {"events": [event]}}
    response = client.post(path, json=body, headers=headers)
    assert response.get_json()["result"] == {"accepted": 1, "rejected": []}, response.data


def last_entry_values(redis_client: redis.Redis) -> dict[str, str]:
    """The dimension values of the newest stream entry's event, as the worker computes them."""
    ((entry_id, fields),) = redis_client.xrevrange(keys.events_stream(), count=1)
    entry = stream.decode_entry(entry_id, fields)
    (wire,) = entry.events
    values = enrich(wire, from_frame=entry.from_frame, request_user_agent=entry.user_agent,
                    accept_language=entry.accept_language)  # fmt: skip
    return {name: values[name] for name in VISIT_DIMENSIONS if name in values}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_visit_join(
    case: dict[str, Any], client: Any, redis_client: redis.Redis, keys_of: dict[str, str]
) -> None:
    for step in case["steps"]:
        send(client, step, keys_of[step.get("merchant", "demo")])
        expected = step["expect"]
        if isinstance(expected, str):
            expected = dict(zip(VISIT_DIMENSIONS, expected.split("|"), strict=True))
        assert last_entry_values(redis_client) == expected, step


def test_the_record_lives_for_the_visit_and_slides_with_it(client: Any, redis_client: redis.Redis) -> None:
    step = {"sender": "frame", "agent": "chrome", "event": {"type": "impression", "session_id": "v9"}}
    send(client, step, "")
    record = "onsite:{m:demo}:visit:v9"
    assert redis_client.get(record) == b"Chrome|desktop|direct|ZZ"
    redis_client.expire(record, 60)
    send(client, step, "")
    assert VISIT_TTL_S - 5 <= redis_client.ttl(record) <= VISIT_TTL_S
