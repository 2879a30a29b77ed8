"""Personalization through placements.render: consent gating (counted in Redis), copy, XSS, GDPR."""

from __future__ import annotations

import threading
import time
from typing import Any

import redis

from tests.redis_commands import calls_of
from tests.rpc.test_placements_render import params

CONSENT = {"personalization": True}


def test_without_consent_no_profile_is_read(rpc, redis_client, token_for) -> None:  # type: ignore[no-untyped-def]
    rpc("placements.render", params())  # warm the configuration cache
    redis_client.config_resetstat()
    anna = token_for("demo-anna")
    result = rpc("placements.render", params(customer_token=anna, session_id="1" * 32))["result"]
    refused = rpc(
        "placements.render",
        params(customer_token=anna, consent={"personalization": False}, session_id="2" * 32),
    )["result"]
    assert calls_of(redis_client, "hget") == 0
    assert "Anna" not in result["html"] and "Anna" not in refused["html"]
    assert result["text"] == "Pay in 4 interest-free payments of £24.75"
    rpc("placements.render", params(customer_token=anna, consent=CONSENT, session_id="3" * 32))
    assert calls_of(redis_client, "hget") == 1


def test_with_consent_the_copy_is_personal(rpc, token_for) -> None:  # type: ignore[no-untyped-def]
    badge = rpc("placements.render", params(customer_token=token_for("demo-anna"), consent=CONSENT))["result"]
    assert badge["text"] == "Hi Anna! Buy now, pay £99.00 in 30 days"
    assert badge["lead_option"] == "pay_in_30"  # her preferred method leads
    sheet = rpc(
        "placements.render",
        params(customer_token=token_for("demo-anna"), consent=CONSENT, view="interstitial"),
    )["result"]
    assert sheet["greeting"] == "Hi Anna!"
    assert next(o["id"] for o in sheet["options"]) == "pay_in_30"
    assert sheet["recommendations"][0]["sku"] == "linen-cushion"
    assert sheet["delivery"] == ["Next-day delivery in London", "Evening delivery slots"]


def test_unknown_profile_falls_back_to_generic_copy(rpc, token_for) -> None:  # type: ignore[no-untyped-def]
    badge = rpc("placements.render", params(customer_token=token_for("nobody-known"), consent=CONSENT))[
        "result"
    ]
    assert badge["text"] == "Pay in 4 interest-free payments of £24.75"
    sheet = rpc(
        "placements.render",
        params(customer_token=token_for("nobody-known"), consent=CONSENT, view="interstitial"),
    )
    assert sheet["result"]["greeting"] == "" and sheet["result"]["recommendations"] == []


def test_hostile_profile_values_are_escaped_and_never_evaluated(rpc, token_for) -> None:  # type: ignore[no-untyped-def]
    badge = rpc("placements.render", params(customer_token=token_for("demo-xss"), consent=CONSENT))["result"]
    assert "<img" not in badge["html"]
    assert "&lt;img src=x onerror=alert(1)&gt;{{7*7}}" in badge["html"]
    assert "49" not in badge["html"]
    sheet = rpc(
        "placements.render",
        params(customer_token=token_for("demo-xss"), consent=CONSENT, view="interstitial"),
    )["result"]
    assert sheet["delivery_label"] == "Delivery to <script>alert(2)</script>"  # plain text, bound with `text`


def test_bad_consent_and_ref_params(rpc) -> None:  # type: ignore[no-untyped-def]
    for bad, param in (
        ({"consent": True}, "consent"),
        ({"consent": {"personalization": "yes"}}, "consent"),
        ({"customer_ref": "has space"}, "customer_ref"),
    ):
        error = rpc("placements.render", params(**bad))["error"]
        assert error["code"] == -32602 and error["data"]["param"] == param


def test_export_then_erase_everything(rpc, admin_rpc, redis_client, token_for) -> None:  # type: ignore[no-untyped-def]
    session = "5" * 32
    rpc(
        "placements.render",
        params(
            customer_token=token_for("demo-lars"),
            consent=CONSENT,
            session_id=session,
            locale="sv-SE",
            purchase_amount=129900,
        ),
    )
    rpc(
        "consent.update",
        {
            "client_id": "demo",
            "session_id": session,
            "personalization": True,
            "customer_token": token_for("demo-lars"),
        },
    )
    exported: dict[str, Any] = admin_rpc("profiles.export", {"customer_ref": "demo-lars"})["result"]
    assert exported["profile"]["first_name"] == "Lars"
    assert session in exported["sessions"]
    assert len(exported["consent_log"]) == 1
    removed = admin_rpc("profiles.erase", {"customer_ref": "demo-lars"})["result"]["removed"]
    assert removed == {
        "profile": 1,
        "consent_log": 1,
        "consent_state": 1,
        "sessions": 1,
        "decisions": 1,
        "auto_open_counters": 0,
    }
    after = admin_rpc("profiles.export", {"customer_ref": "demo-lars"})["result"]
    assert after["profile"] is None and after["sessions"] == {} and after["consent_log"] == []
    assert redis_client.get(f"onsite:{{m:demo}}:session:{session}") is None


def test_gdpr_methods_need_a_key(client) -> None:  # type: ignore[no-untyped-def]
    body = {"jsonrpc": "2.0", "id": 1, "method": "profiles.erase", "params": {"customer_ref": "demo-anna"}}
    assert client.post("/rpc", json=body).get_json()["error"]["code"] == -32003


def read_round_trips(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Round trips to Redis made by this thread from now on: each pipeline sent, each lone command.

    A spy, not a mock: the real methods run. Other threads (the version watch, background
    writes) are not counted.
    """
    trips: list[str] = []
    me = threading.get_ident()
    send_pipeline, send_command = redis.client.Pipeline.execute, redis.Redis.execute_command

    def pipeline(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if threading.get_ident() == me:
            trips.append("pipeline:" + ",".join(str(c[0][0]).lower() for c in self.command_stack))
        return send_pipeline(self, *args, **kwargs)

    def command(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if threading.get_ident() == me:
            trips.append(str(args[0]).lower())
        return send_command(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", pipeline)
    monkeypatch.setattr(redis.Redis, "execute_command", command)
    return trips


def test_a_verified_shoppers_profile_is_read_in_the_render_pipeline(app, rpc, token_for, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With the configuration known current (its version pushed), the customer token is
    verified before the read and the profile joins the state's pipeline: one round trip."""
    session = "5" * 32
    anna = params(customer_token=token_for("demo-anna"), consent=CONSENT, session_id=session)
    rpc("placements.render", anna)  # identifies the visit; the configuration is cached
    configs = app.extensions["onsite.renderer"].configs
    deadline = time.monotonic() + 10
    while configs.fresh("demo") is None and time.monotonic() < deadline:
        time.sleep(0.02)  # the version watch's subscription is being set up
    assert configs.fresh("demo") is not None
    trips = read_round_trips(monkeypatch)
    result = rpc("placements.render", anna)["result"]
    assert result["text"] == "Hi Anna! Buy now, pay £99.00 in 30 days"
    assert trips == ["pipeline:getex,get,hget"]
