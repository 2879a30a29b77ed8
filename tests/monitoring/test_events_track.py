"""``events.track`` over real HTTP-in-process (Flask test client) against a real Redis."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import pytest

from bff.monitoring import keys

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def frame_event(**overrides: object) -> dict:  # type: ignore[type-arg]
    event = {
        "id": str(uuid.uuid4()),
        "type": "impression",
        "client_id": "demo",
        "placement_key": "credit-badge",
        "session_id": "s" * 24,
        "ts": int(time.time() * 1000),
        "page_url": "http://localhost:5000/demo",
        "amount": 9900,
        "currency": "GBP",
        "locale": "en-GB",
    }
    return event | overrides


@pytest.fixture
def api_key(app) -> str:  # type: ignore[no-untyped-def]
    """A live API key of the demo merchant."""
    secret, _ = app.extensions["onsite.api_keys"].create(
        "demo", "merchant_admin", "tests", dt.datetime.now(dt.UTC)
    )
    return secret  # type: ignore[no-any-return]


def track(client, events, headers=None, request_id=1):  # type: ignore[no-untyped-def]
    body = {"jsonrpc": "2.0", "method": "events.track", "params": {"events": events}}
    if request_id is not None:
        body["id"] = request_id
    return client.post("/rpc", json=body, headers=headers or {})


def stream_events(redis_client) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    entries = redis_client.xrange(keys.events_stream())
    return [event for _, fields in entries for event in json.loads(fields[b"ev"])]


def test_a_frame_notification_is_appended_with_its_request_context(client, redis_client) -> None:
    response = track(client, [frame_event()], {"User-Agent": FIREFOX, "Accept-Language": "sv-SE"}, None)
    assert response.status_code in (200, 204)
    ((_, fields),) = redis_client.xrange(keys.events_stream())
    assert fields[b"src"] == b"frame" and fields[b"ua"] == FIREFOX.encode() and fields[b"al"] == b"sv-SE"
    (event,) = json.loads(fields[b"ev"])
    assert event["page_url_host"] == "localhost" and "session_id" not in event and "page_url" not in event


def test_bad_events_are_rejected_one_by_one_without_spoiling_the_batch(client, redis_client) -> None:
    good = frame_event()
    batch = [
        good,
        frame_event(type="purchase"),
        frame_event(ts="yesterday"),
        frame_event(ts=int(time.time() * 1000) - 2 * 3600 * 1000),
        frame_event(type="authorization", outcome="success", payment_method="card"),
        frame_event(client_id="nobody"),
        frame_event(page_url="https://evil.example/demo"),
        "not an object",
        frame_event(id="x"),
    ]
    result = track(client, batch).get_json()["result"]
    assert result["accepted"] == 1
    reasons = {r["index"]: r["reason"] for r in result["rejected"]}
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert "type must be one of" in reasons[1]
    assert "ts must be an integer" in reasons[2]
    assert "minutes old" in reasons[3]
    assert "API key" in reasons[4]
    assert "not a known merchant" in reasons[5]
    assert "origins" in reasons[6]
    assert result["rejected"][-1]["id"] is None
    assert [e["id"] for e in stream_events(redis_client)] == [good["id"]]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({}, "is required"),
        ({"events": "many"}, "is required"),
        ({"events": []}, "between 1 and 500"),
        ({"events": [{}] * 501}, "between 1 and 500"),
    ],
)
def test_a_bad_batch_is_invalid_params_naming_events(client, params, reason) -> None:  # type: ignore[no-untyped-def]
    body = {"jsonrpc": "2.0", "id": 7, "method": "events.track", "params": params}
    error = client.post("/rpc", json=body).get_json()["error"]
    assert error["code"] == -32602
    assert error["data"]["param"] == "events" and reason in error["data"]["reason"]


def test_merchant_server_events_need_a_live_key_scoped_to_the_merchant(client, redis_client, api_key) -> None:
    auth = {"Authorization": f"Bearer {api_key}"}
    events = [
        {
            "id": str(uuid.uuid4()),
            "type": "session",
            "session_id": "abc",
            "ts": int(time.time() * 1000),
            "country": "SE",
        },
        {
            "id": str(uuid.uuid4()),
            "type": "authorization",
            "outcome": "failure",
            "payment_method": "pay_in_4",
            "ts": int(time.time() * 1000),
            "user_agent": FIREFOX,
        },
        {
            "id": str(uuid.uuid4()),
            "type": "order_created",
            "client_id": "other",
            "ts": int(time.time() * 1000),
        },
        {
            "id": str(uuid.uuid4()),
            "type": "authorization",
            "outcome": "maybe",
            "payment_method": "card",
            "ts": int(time.time() * 1000),
        },
    ]
    result = track(client, events, auth).get_json()["result"]
    assert result["accepted"] == 2
    assert [r["index"] for r in result["rejected"]] == [2, 3]
    assert "merchant of the API key" in result["rejected"][0]["reason"]
    stored = stream_events(redis_client)
    assert [e["client_id"] for e in stored] == ["demo", "demo"]
    assert stored[1]["outcome"] == "failure" and stored[1]["payment_method"] == "pay_in_4"


def test_an_unknown_key_is_unauthorized_and_nothing_is_stored(client, redis_client) -> None:
    response = track(client, [frame_event()], {"Authorization": "Bearer osk_nope"})
    assert response.status_code == 200
    assert response.get_json()["error"]["code"] == -32003
    assert stream_events(redis_client) == []


def test_redis_down_is_service_unavailable_not_a_500(app, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import redis as redis_lib

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise redis_lib.ConnectionError("refused")

    app.extensions["onsite.merchants"].get("demo")  # cached merchant: only the stream write fails
    monkeypatch.setattr(app.extensions["onsite.redis"], "xadd", refuse)
    response = track(client, [frame_event()])
    assert response.status_code == 200
    error = response.get_json()["error"]
    assert error["code"] == -32002 and "Traceback" not in json.dumps(error)
