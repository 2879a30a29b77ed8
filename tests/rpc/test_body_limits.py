"""bff/rpc/body_limits.py: bodies over 64 KiB need a live API key, checked before reading."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bff.rpc.body_limits import MAX_ANONYMOUS_BODY_BYTES

RENDER = {
    "client_id": "demo",
    "placement_key": "credit-badge",
    "locale": "en-GB",
    "purchase_amount": 9900,
    "session_id": "s" * 24,
}


def padded(size: int) -> bytes:
    """A valid render call of about ``size`` bytes (an ignored param pads it)."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": {**RENDER, "pad": ""}}
    base = len(json.dumps(body))
    body["params"]["pad"] = "x" * (size - base)
    return json.dumps(body).encode()


def post(client: Any, body: bytes, authorization: str | None = None) -> Any:
    headers = {"Authorization": authorization} if authorization else {}
    return client.post("/rpc", data=body, content_type="application/json", headers=headers)


def test_an_anonymous_body_over_64_kib_is_refused_before_parsing(client) -> None:  # type: ignore[no-untyped-def]
    assert post(client, padded(MAX_ANONYMOUS_BODY_BYTES)).status_code == 200
    response = post(client, padded(MAX_ANONYMOUS_BODY_BYTES + 1))
    assert response.status_code == 413
    assert response.get_json()["error"]["data"] == {"limit_bytes": MAX_ANONYMOUS_BODY_BYTES}


@pytest.mark.parametrize("authorization", ["Bearer osk_made-up", "Basic abc", "Bearer "])
def test_a_made_up_key_does_not_lift_the_limit(client, authorization: str) -> None:  # type: ignore[no-untyped-def]
    assert post(client, padded(200_000), authorization).status_code == 413


def test_a_live_key_may_send_up_to_1_mib(client, api_key) -> None:  # type: ignore[no-untyped-def]
    response = post(client, padded(900_000), f"Bearer {api_key}")
    assert response.status_code == 200
    assert response.get_json()["result"]["kind"] == "badge"
    assert post(client, padded(1024 * 1024 + 1), f"Bearer {api_key}").status_code == 413
