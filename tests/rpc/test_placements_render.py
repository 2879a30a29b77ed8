"""placements.render over real HTTP semantics (test client) against a real Redis."""

from __future__ import annotations

from typing import Any

import pytest
import redis

SESSION = "0123456789abcdef0123456789abcdef"


def params(**overrides: Any) -> dict[str, Any]:
    base = {
        "client_id": "demo",
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "purchase_amount": 9900,
        "session_id": SESSION,
    }
    return {k: v for k, v in (base | overrides).items() if v is not None}


def test_render_badge(rpc) -> None:  # type: ignore[no-untyped-def]
    result = rpc("placements.render", params())["result"]
    assert result["kind"] == "badge"
    assert result["text"] == "Pay in 4 interest-free payments of £24.75"
    assert result["html"] == "Pay in 4 interest-free payments of <strong>£24.75</strong>"
    assert result["installment"] == {"count": 4, "amount": 2475, "formatted": "£24.75"}


def test_render_by_position(rpc) -> None:  # type: ignore[no-untyped-def]
    result = rpc("placements.render", ["demo", "credit-badge", "de-DE", 11900, SESSION])["result"]
    assert result["text"] == "Bezahle in 4 zinsfreien Raten à 29,75\xa0€"


def test_explicit_currency_wins(rpc) -> None:  # type: ignore[no-untyped-def]
    result = rpc("placements.render", params(currency="EUR", country="DE", purchase_amount=4000))["result"]
    assert result["campaign_id"] == "de-raten"
    assert result["installment"]["formatted"] == "€10.00"


def test_amount_below_every_range_is_empty_not_an_error(rpc) -> None:  # type: ignore[no-untyped-def]
    result = rpc("placements.render", params(purchase_amount=100))["result"]
    assert result == {
        "kind": "empty",
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "reason": "outside_amount_range",  # the amount is all that stands in the way: say so
    }


@pytest.mark.parametrize(
    ("bad", "param"),
    [
        ({"purchase_amount": "99.00"}, "purchase_amount"),
        ({"purchase_amount": None}, "purchase_amount"),
        ({"locale": "klingon"}, "locale"),
        ({"session_id": "x"}, "session_id"),
        ({"client_id": "<script>"}, "client_id"),
        ({"currency": "EURO"}, "currency"),
        ({"theme": 3}, "theme"),
    ],
)
def test_bad_params_give_32602_naming_the_param(rpc, bad: dict[str, Any], param: str) -> None:  # type: ignore[no-untyped-def]
    error = rpc("placements.render", params(**bad))["error"]
    assert error["code"] == -32602
    assert error["data"]["param"] == param
    assert param in error["message"]


def test_params_must_be_object_or_array(rpc) -> None:  # type: ignore[no-untyped-def]
    assert rpc("placements.render", "demo")["error"]["code"] == -32602


def test_unknown_client(rpc) -> None:  # type: ignore[no-untyped-def]
    error = rpc("placements.render", params(client_id="nobody"))["error"]
    assert error["code"] == -32001
    assert "nobody" in error["message"]


def test_unknown_method(rpc) -> None:  # type: ignore[no-untyped-def]
    assert rpc("placements.nope", {})["error"]["code"] == -32601


def test_internal_errors_are_scrubbed(app, rpc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A bug deep in the render path (simulated: there is no other way to make correct code fail).
    def broken(*_: Any) -> None:
        raise TypeError("secret internal detail at /srv/bff/decide.py")

    monkeypatch.setattr("bff.placement_renderer.decide", broken)
    response = rpc("placements.render", params())
    assert response["error"]["code"] == -32603
    assert "secret" not in str(response)
    assert "Traceback" not in str(response)


def test_redis_down_gives_service_unavailable_for_unseen_merchant(app, rpc) -> None:  # type: ignore[no-untyped-def]
    store = app.extensions["onsite.merchants"]
    store.client = redis.Redis(unix_socket_path="/nonexistent/redis.sock", socket_timeout=0.1)
    store._cache.clear()
    error = rpc("placements.render", params())["error"]
    assert error["code"] == -32002


def test_cached_merchant_survives_redis_outage(app, rpc) -> None:  # type: ignore[no-untyped-def]
    assert rpc("placements.render", params())["result"]["kind"] == "badge"
    app.extensions["onsite.merchants"].client = redis.Redis(unix_socket_path="/nonexistent/redis.sock")
    assert rpc("placements.render", params())["result"]["kind"] == "badge"


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (b"{not json", "application/json", -32700),
        (b"\xff\xfe\x00", "application/json", -32700),
        (b'{"jsonrpc": "2.0", "id": 1}', "application/json", -32600),
        (b"[]", "application/json", -32600),
        (b'{"jsonrpc":"2.0","id":1,"method":"placements.render"}', "text/plain", -32700),
    ],
)
def test_malformed_requests(client, body: bytes, content_type: str, code: int) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/rpc", data=body, content_type=content_type)
    assert response.status_code == 200
    assert response.get_json()["error"]["code"] == code


def test_oversized_body_is_413_with_a_jsonrpc_error(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/rpc", data=b"[" + b"1," * 600_000 + b"1]", content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["data"]["limit_bytes"] == 64 * 1024  # without an API key


def test_batch_mixes_results_and_errors(client) -> None:  # type: ignore[no-untyped-def]
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": params()},
        {"jsonrpc": "2.0", "id": 2, "method": "placements.render", "params": params(locale="??")},
    ]
    answers = {r["id"]: r for r in client.post("/rpc", json=batch).get_json()}
    assert answers[1]["result"]["kind"] == "badge"
    assert answers[2]["error"]["code"] == -32602


def test_batch_is_limited(client) -> None:  # type: ignore[no-untyped-def]
    batch = [
        {"jsonrpc": "2.0", "id": i, "method": "placements.render", "params": params()} for i in range(101)
    ]
    error = client.post("/rpc", json=batch).get_json()["error"]
    assert error["code"] == -32600
    assert "at most 100" in error["data"]["message"]


def test_a_locale_the_merchant_does_not_sell_in_is_empty_with_its_reason(rpc) -> None:  # type: ignore[no-untyped-def]
    result = rpc("placements.render", params(locale="fi-FI"))["result"]
    assert result == {"kind": "empty", "placement_key": "credit-badge", "locale": "fi-FI",
                      "reason": "no_market_for_locale"}  # fmt: skip
    # With a currency named, the market is the caller's: the decision decides as before.
    named = rpc("placements.render", params(locale="fi-FI", currency="EUR"))["result"]
    assert named["kind"] == "empty" and named["reason"] != "no_market_for_locale"
