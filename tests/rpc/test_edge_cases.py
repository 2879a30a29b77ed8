"""JSON-RPC edge cases (docs/security.md): odd ids, non-finite numbers, echoed input, newlines.

Each reply must parse with a strict JSON parser, come with HTTP 200 and quote client input
only in short excerpts.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.fuzz.rpc_strategies import check_response

SESSION = "s" * 24
RENDER = {
    "client_id": "demo",
    "placement_key": "credit-badge",
    "locale": "en-GB",
    "purchase_amount": 9900,
    "session_id": SESSION,
}


def strict(body: bytes) -> Any:
    def refuse(constant: str) -> Any:
        raise AssertionError(f"{constant} in the reply")

    return json.loads(body, parse_constant=refuse)


def post(client: Any, body: bytes | str, **kwargs: Any) -> Any:
    """POST a raw body; check the generic contract; return the decoded reply."""
    kwargs.setdefault("content_type", "application/json")
    response = client.post("/rpc", data=body, **kwargs)
    assert response.status_code == 200, response.data[:300]
    check_response(response.status_code, response.data)
    return strict(response.data)


def call(method: str, params: Any, request_id: str = "1") -> str:
    """A request body with ``request_id`` spliced in as raw JSON text."""
    return f'{{"jsonrpc": "2.0", "method": "{method}", "params": {json.dumps(params)}, "id": {request_id}}}'


@pytest.mark.parametrize("method", ["placements.render", "campaigns.list", "nope"])
def test_a_deeply_nested_id_is_an_invalid_request_not_a_500(client, method: str) -> None:  # type: ignore[no-untyped-def]
    # The depth that still parses but broke the encoder (976-979 under the dev server) moves
    # with the stack depth at the call, so sweep past the parser's limit.
    codes = set()
    for depth in range(850, 1_001):
        reply = post(client, call(method, RENDER, "[" * depth + "]" * depth))
        assert reply["id"] is None
        codes.add(reply["error"]["code"])
    assert codes == {-32600, -32700}  # refused as an id while it parses, then as too deep


@pytest.mark.parametrize(
    "request_id",
    [
        "true",
        "[1]",
        '{"n": 1}',
        json.dumps("x" * 65),
        json.dumps("é" * 300_000, ensure_ascii=False),
        "1" + "0" * 64,
    ],
    ids=["boolean", "array", "object", "65 characters", "300,000 characters", "65 digits"],
)
def test_an_id_that_is_not_a_short_string_or_a_number_is_refused(client, api_key, request_id: str) -> None:  # type: ignore[no-untyped-def]
    # With a key, as bodies over 64 KiB need one (tests/rpc/test_body_limits.py).
    reply = post(client, call("placements.render", RENDER, request_id), headers=auth(api_key))
    assert reply["id"] is None
    assert reply["error"]["code"] == -32600
    assert "string of up to 64 characters" in reply["error"]["data"]["message"]


def test_bad_ids_in_a_batch_are_refused_one_by_one(client) -> None:  # type: ignore[no-untyped-def]
    body = f"[{call('placements.render', RENDER, '[[1]]')}, {call('placements.render', RENDER, '7')}]"
    first, second = post(client, body)
    assert (first["id"], first["error"]["code"]) == (None, -32600)
    assert (second["id"], second["result"]["kind"]) == (7, "badge")


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize("where", ["id", "param"])
def test_non_finite_numbers_are_a_parse_error(client, number: str, where: str) -> None:  # type: ignore[no-untyped-def]
    if where == "id":
        body = call("placements.render", RENDER, number)
    else:
        body = call("events.track", {"events": "@"}).replace('"@"', f'[{{"amount": {number}}}]')
    reply = post(client, body)
    assert reply["error"]["code"] == -32700
    assert "NaN, Infinity" in reply["error"]["data"]["message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (call("nope" + "x" * 900_000, {}), -32601),
        ('{"jsonrpc": "2.0", "id": 1, "method": "campaigns.list", "params": "@"}', -32602),
        ('{"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": "@"}', -32602),
        ('[{"jsonrpc": "2.0", "id": 1, "method": "nope@"}]', -32601),
    ],
    ids=["method name", "params as a string", "render params as a string", "method in a batch"],
)
def test_errors_quote_input_in_short_excerpts(client, api_key, body: str, code: int) -> None:  # type: ignore[no-untyped-def]
    reply = post(client, body.replace("@", "é" * 300_000), headers=auth(api_key))
    answer = reply[0] if isinstance(reply, list) else reply
    assert answer["error"]["code"] == code
    assert len(json.dumps(answer)) < 400


def test_a_long_content_type_is_not_echoed(client) -> None:  # type: ignore[no-untyped-def]
    reply = post(client, call("placements.render", RENDER), content_type="application/x-" + "y" * 6000)
    assert reply["error"]["code"] == -32700
    assert "Content-Type: application/json" in reply["error"]["data"]["message"]
    assert len(json.dumps(reply)) < 400


@pytest.mark.parametrize(
    ("method", "params", "param"),
    [
        ("placements.render", {**RENDER, "client_id": "demo\n"}, "client_id"),
        ("placements.render", {**RENDER, "placement_key": "credit-badge\n"}, "placement_key"),
        ("placements.render", {**RENDER, "session_id": SESSION + "\n"}, "session_id"),
        (
            "consent.update",
            {"client_id": "demo\n", "session_id": SESSION, "personalization": True},
            "client_id",
        ),
    ],
)
def test_a_trailing_newline_is_not_a_valid_identifier(client, method: str, params: Any, param: str) -> None:  # type: ignore[no-untyped-def]
    error = post(client, call(method, params))["error"]
    assert (error["code"], error["data"]["param"]) == (-32602, param)


def test_a_long_time_zone_is_invalid_params(client, api_key) -> None:  # type: ignore[no-untyped-def]
    campaign = {"id": "tz", "schedule": {"timezone": "Z" * 300}}
    error = post(client, call("campaigns.create", {"campaign": campaign}), headers=auth(api_key))["error"]
    assert error["code"] == -32602
    (problem,) = [p for p in error["data"]["problems"] if p["path"] == "schedule.timezone"]
    assert "unknown IANA time zone 'ZZZZ" in problem["message"] and len(problem["message"]) < 120


def test_a_document_with_thousands_of_problems_gets_a_bounded_answer(client, api_key) -> None:  # type: ignore[no-untyped-def]
    campaign = {"id": "many", "variants": [{"id": "-", "weight": 0}] * 20_000}
    body = call("campaigns.create", {"campaign": campaign})
    reply = post(client, body, headers=auth(api_key))
    error = reply["error"]
    assert error["code"] == -32602 and error["data"]["problem_count"] > 20_000
    assert len(json.dumps(reply)) < 8 * 1024 < len(body)


@pytest.fixture
def hanging_redis(tmp_path: Path) -> Iterator[redis.Redis]:
    """A client of a server that accepts connections and never answers (a stalled Redis)."""
    path = str(tmp_path / "stalled.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    client = redis.Redis(unix_socket_path=path, socket_timeout=0.2, socket_connect_timeout=0.2)
    yield client
    client.close()
    server.close()


@pytest.mark.parametrize("method", ["profiles.export", "profiles.erase"])
def test_a_redis_timeout_in_a_gdpr_request_is_service_unavailable(
    app, client, api_key, hanging_redis, method: str
) -> None:  # type: ignore[no-untyped-def]
    app.extensions["onsite.profiles"].client = hanging_redis  # the key check still reaches Redis
    error = post(client, call(method, {"customer_ref": "shopper-1"}), headers=auth(api_key))["error"]
    assert error["code"] == -32002
    assert "retry" in error["message"]


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
