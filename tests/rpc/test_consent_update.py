"""consent.update: kept for verified shoppers only, deduplicated, capped, rate-limited, never audited."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bff import create_app
from bff.identity import tokens
from tests.rpc.test_placements_render import params

BASE = {"client_id": "demo", "session_id": "4" * 32}


def consent_keys(redis_client: Any) -> list[bytes]:
    return sorted(k for k in redis_client.keys("onsite:*") if b"consent" in k)


def test_without_a_verified_token_nothing_is_kept(rpc, redis_client) -> None:  # type: ignore[no-untyped-def]
    forged = tokens.sign("osi_" + "A" * 43, "demo", "demo-anna", int(time.time()))
    for extra in ({}, {"customer_ref": "demo-anna"}, {"customer_token": forged}):
        reply = rpc("consent.update", {**BASE, "personalization": True, **extra})["result"]
        assert reply == {"recorded": False, "verified": False, "personalization": True}
    assert consent_keys(redis_client) == []


def test_changes_are_recorded_once_exported_and_never_audited(app, rpc, admin_rpc, token_for) -> None:  # type: ignore[no-untyped-def]
    anna = token_for("demo-anna")
    audit_before = sum(1 for _ in app.extensions["onsite.audit"].records())
    recorded = [
        rpc("consent.update", {**BASE, "personalization": granted, "customer_token": anna})["result"][
            "recorded"
        ]
        for granted in (True, True, True, False, False, True)
    ]
    assert recorded == [True, False, False, True, False, True]  # an unchanged choice writes nothing
    assert sum(1 for _ in app.extensions["onsite.audit"].records()) == audit_before
    exported = admin_rpc("profiles.export", {"customer_ref": "demo-anna"})["result"]
    assert [(c["personalization"], c["session_id"]) for c in exported["consent_log"]] == [
        (True, BASE["session_id"]),
        (False, BASE["session_id"]),
        (True, BASE["session_id"]),
    ]


def test_a_withdrawal_reaches_the_stored_profile(rpc, token_for) -> None:  # type: ignore[no-untyped-def]
    anna = token_for("demo-anna")
    consent = {"personalization": True}
    assert "Anna" in rpc("placements.render", params(consent=consent, customer_token=anna))["result"]["text"]
    rpc("consent.update", {**BASE, "personalization": False, "customer_token": anna})
    # The page still claims consent (a stale tab), but the shopper withdrew it: no greeting.
    stale = rpc("placements.render", params(consent=consent, customer_token=anna, session_id="5" * 32))
    assert "Anna" not in stale["result"]["text"]
    rpc("consent.update", {**BASE, "personalization": True, "customer_token": anna})
    again = rpc("placements.render", params(consent=consent, customer_token=anna, session_id="6" * 32))
    assert "Anna" in again["result"]["text"]


@pytest.fixture
def relaxed_rpc(settings, redis_client):  # type: ignore[no-untyped-def]
    """An app whose consent limits do not get in the way of a long history."""
    app = create_app(
        settings.replace(consent_rate_per_ip="1000/second", consent_rate_per_session="1000/second")
    )
    client = app.test_client()

    def call(method: str, params_: dict[str, Any]) -> dict[str, Any]:
        body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params_}
        return client.post("/rpc", json=body).get_json()  # type: ignore[no-any-return]

    return app, call


def test_the_history_is_capped(relaxed_rpc, redis_client) -> None:  # type: ignore[no-untyped-def]
    from bff.demo import customer_token

    app, call = relaxed_rpc
    anna = customer_token(app, "demo", "demo-anna")
    for i in range(130):
        call("consent.update", {**BASE, "personalization": i % 2 == 0, "customer_token": anna})
    (log_key,) = [k for k in consent_keys(redis_client) if b"consent-state" not in k]
    assert redis_client.llen(log_key) == 100


def test_limits_per_session_and_per_address(rpc) -> None:  # type: ignore[no-untyped-def]
    replies = [rpc("consent.update", {**BASE, "personalization": True}) for _ in range(11)]
    assert all("result" in r for r in replies[:10])
    assert replies[10]["error"]["code"] == -32005 and replies[10]["error"]["data"]["retry_after_s"] >= 1
    # Other sessions from the same address: 30 a minute in all, then refused too.
    others = [
        rpc("consent.update", {**BASE, "session_id": f"{i:032x}", "personalization": True}) for i in range(25)
    ]
    assert "result" in others[18] and others[-1]["error"]["code"] == -32005


def test_bad_params_are_named(rpc) -> None:  # type: ignore[no-untyped-def]
    for bad, param in (
        ({"personalization": "yes"}, "personalization"),
        ({"customer_token": 7}, "customer_token"),
        ({"customer_ref": "has space"}, "customer_ref"),
        ({"session_id": "short"}, "session_id"),
    ):
        error = rpc("consent.update", {**BASE, "personalization": True, **bad})["error"]
        assert error["code"] == -32602 and error["data"]["param"] == param
