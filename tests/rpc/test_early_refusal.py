"""bff/rpc/early_refusal.py: an address over its public-write limit is refused without dispatch."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bff import create_app
from bff.settings import Settings
from tests.redis_commands import calls_since, command_calls

ADDRESS = "10.9.0.1"


@pytest.fixture
def strict_app(settings: Settings):  # type: ignore[no-untyped-def]
    """Budgets small enough to exhaust: 3 events and 1 consent change per address and minute."""
    return create_app(settings.replace(events_rate_per_ip="3/minute", consent_rate_per_ip="1/minute"))


def events(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"00000000-0000-4000-8000-{time.time_ns() % 10**12 + i:012d}",
            "type": "impression",
            "client_id": "demo",
            "placement_key": "credit-badge",
            "session_id": "s" * 24,
            "ts": int(time.time() * 1000),
        }
        for i in range(count)
    ]


def post(client: Any, method: str, params: Any, request_id: int | None = 1) -> dict[str, Any]:
    body: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
    if request_id is not None:
        body["id"] = request_id
    response = client.post("/rpc", json=body, environ_base={"REMOTE_ADDR": ADDRESS})
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def without_retry(reply: dict[str, Any]) -> str:
    error = dict(reply["error"], data={}, message=reply["error"]["message"].split(" retry in")[0])
    return json.dumps(dict(reply, error=error), sort_keys=True)


def test_further_event_batches_are_refused_without_redis(strict_app, redis_client, api_key) -> None:  # type: ignore[no-untyped-def]
    client = strict_app.test_client()
    assert post(client, "events.track", {"events": events(3)})["result"]["accepted"] == 3
    dispatched = post(client, "events.track", {"events": events(1)}, 7)
    assert dispatched["error"]["code"] == -32005
    before = command_calls(redis_client)
    early = post(client, "events.track", {"events": events(1)}, 7)
    assert calls_since(redis_client, before) == {}  # no command but the version watch's
    assert without_retry(early) == without_retry(dispatched)
    assert 1 <= early["error"]["data"]["retry_after_s"] <= 60
    # Notifications and positional params are refused the same way.
    assert post(client, "events.track", [events(1)], None)["error"]["code"] == -32005
    # The address still gets renders, and a merchant's key from it has its own budget.
    render = {"client_id": "demo", "placement_key": "credit-badge", "locale": "en-GB",
              "purchase_amount": 9900, "session_id": "s" * 24}  # fmt: skip
    assert post(client, "placements.render", render)["result"]["kind"] == "badge"
    keyed = client.post(
        "/rpc",
        json={"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {"events": events(1)}},
        headers={"Authorization": f"Bearer {api_key}"},
        environ_base={"REMOTE_ADDR": ADDRESS},
    )
    assert "result" in keyed.get_json()


def test_further_consent_changes_are_refused_without_redis(strict_app, redis_client) -> None:  # type: ignore[no-untyped-def]
    client = strict_app.test_client()
    params = {"client_id": "demo", "session_id": "s" * 24, "personalization": True}
    assert "result" in post(client, "consent.update", params)
    assert post(client, "consent.update", params)["error"]["code"] == -32005
    before = command_calls(redis_client)
    assert post(client, "consent.update", params)["error"]["code"] == -32005
    assert calls_since(redis_client, before) == {}
