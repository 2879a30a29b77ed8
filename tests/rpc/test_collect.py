"""POST /rpc/collect: the public writes on a path of their own, with /rpc's rules and functions."""

from __future__ import annotations

from typing import Any

import pytest

from bff.rpc.endpoint import COLLECT_METHODS
from tests.rpc.test_early_refusal import events
from tests.rpc.test_placements_render import params

CONSENT = {"client_id": "demo", "session_id": "7" * 32, "personalization": True}


@pytest.fixture
def collect(client):  # type: ignore[no-untyped-def]
    """Post one JSON body to /rpc/collect; returns the decoded response."""

    def post(body: Any, **kwargs: Any) -> Any:
        response = client.post("/rpc/collect", json=body, **kwargs)
        assert response.status_code == 200, response.data
        return response.get_json()

    return post


def call(method: str, params_: Any, request_id: Any = 1) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params_}


def test_it_serves_events_and_consent_as_rpc_does(collect, rpc) -> None:  # type: ignore[no-untyped-def]
    accepted = collect(call("events.track", {"events": events(2)}))["result"]
    assert accepted == {"accepted": 2, "rejected": []}
    reply = collect(call("consent.update", CONSENT, "c-1"))
    assert reply == {"jsonrpc": "2.0", "id": "c-1", "result": rpc("consent.update", CONSENT, "c-1")["result"]}
    assert reply["result"] == {"recorded": False, "verified": False, "personalization": True}


@pytest.mark.parametrize("method", ["placements.render", "campaigns.list", "profiles.export", "no.such"])
def test_any_other_method_is_not_found_with_a_pointer_to_rpc(collect, method: str) -> None:  # type: ignore[no-untyped-def]
    reply = collect(call(method, params() if method == "placements.render" else {}, 5))
    assert reply["id"] == 5
    assert reply["error"]["code"] == -32601
    message = reply["error"]["data"]["message"]
    assert method in message and "/rpc." in message
    assert all(name in message for name in COLLECT_METHODS)


def test_rpc_still_serves_the_public_writes(rpc) -> None:  # type: ignore[no-untyped-def]
    assert rpc("events.track", {"events": events(1)})["result"]["accepted"] == 1
    assert "result" in rpc("consent.update", CONSENT)


def test_batches_and_envelope_errors_follow_rpcs_rules(collect, client) -> None:  # type: ignore[no-untyped-def]
    batch = [call("events.track", {"events": events(1)}, 1), call("placements.render", {}, 2)]
    tracked, render = sorted(collect(batch), key=lambda r: r["id"])
    assert tracked["result"]["accepted"] == 1
    assert render["error"]["code"] == -32601
    assert collect({"jsonrpc": "1.0", "id": 1, "method": "events.track"})["error"]["code"] == -32600
    response = client.post("/rpc/collect", data="{", content_type="application/json")
    assert response.status_code == 200 and response.get_json()["error"]["code"] == -32700
    oversized = client.post("/rpc/collect", json=call("events.track", {"pad": "x" * 70_000}))
    assert oversized.status_code == 413  # the anonymous 64 KiB body limit applies here too
