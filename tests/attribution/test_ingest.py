"""Attribution through ``events.track`` (Flask test client) against the real Redis."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from typing import Any

import pytest

from bff.attribution import keys as attribution_keys
from bff.attribution.rule import Touch
from bff.attribution.store import MAX_TOUCHES, AttributionStore, RecordedTouch
from bff.monitoring import keys

VISIT = "0123456789abcdef0123456789abcdef"


def frame_event(**overrides: object) -> dict[str, Any]:
    event = {
        "id": str(uuid.uuid4()),
        "type": "click",
        "client_id": "demo",
        "placement_key": "credit-badge",
        "session_id": VISIT,
        "ts": int(time.time() * 1000),
        "page_url": "http://localhost:5000/demo",
        "campaign_id": "uk-pay-in-3",
        "variant": "A",
    }
    return event | overrides


def order_event(**overrides: object) -> dict[str, Any]:
    event = {
        "id": str(uuid.uuid4()),
        "type": "order_created",
        "ts": int(time.time() * 1000),
        "visit_id": VISIT,
        "order_id": "ORD-1001",
        "amount": 12900,
        "currency": "GBP",
        "payment_method": "pay_in_3",
    }
    return event | overrides


def client_order(**overrides: object) -> dict[str, Any]:
    return (
        order_event(source="client", client_id="demo", page_url="http://localhost:5000/demo/done") | overrides
    )


def post(client: Any, path: str, events: list[Any], key: str | None = None, **kwargs: Any) -> Any:
    body = {"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {"events": events}}
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if kwargs.pop("text_plain", False):
        return client.post(path, data=json.dumps(body), headers=headers | {"Content-Type": "text/plain"})
    return client.post(path, json=body, headers=headers)


def result(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert "result" in body, body
    return body["result"]  # type: ignore[no-any-return]


def reasons(response: Any) -> list[str]:
    return [r["reason"] for r in result(response)["rejected"]]


def set_merchant(app: Any, **fields: object) -> None:
    documents = app.extensions["onsite.merchants"].documents
    doc = documents.current("demo")
    documents.save({**doc, **fields}, {"kind": "test", "id": "tests"}, "2026-01-01T00:00:00Z")


def stream_events(redis_client: Any) -> list[dict[str, Any]]:
    entries = redis_client.xrange(keys.events_stream())
    return [event for _, fields in entries for event in json.loads(fields[b"ev"])]


def today() -> tuple[dt.date, dt.date]:
    day = dt.datetime.now(dt.UTC).date()
    return day - dt.timedelta(days=1), day + dt.timedelta(days=1)


def counted(
    redis_client: Any, model: str = "last_touch"
) -> dict[tuple[Any, ...], tuple[int, dict[str, int]]]:
    rows = AttributionStore(redis_client).attributed_orders("demo", today())
    return {
        (r.campaign_id, r.variant, r.placement_key): (r.orders, r.value) for r in rows if r.model == model
    }


@pytest.fixture
def other_key(app: Any) -> str:
    """A merchant_admin key of another merchant, ``acme``."""
    documents = app.extensions["onsite.merchants"].documents
    doc = documents.current("demo")
    documents.save(
        {**doc, "client_id": "acme", "name": "Acme"}, {"kind": "test", "id": "t"}, "2026-01-01T00:00:00Z"
    )
    secret, _ = app.extensions["onsite.api_keys"].create(
        "acme", "merchant_admin", "tests", dt.datetime.now(dt.UTC)
    )
    return secret  # type: ignore[no-any-return]


def test_touches_are_recorded_per_visit_and_the_stream_keeps_campaign_but_no_visit(
    client, redis_client
) -> None:  # type: ignore[no-untyped-def]
    lead_test = {"campaign_id": "us-lead-test"}  # a campaign of the demo merchant
    events = [
        frame_event(type="view", **lead_test, variant="lead-pay-in-4"),
        frame_event(type="impression", **lead_test, variant="lead-pay-later"),
        frame_event(variant="B"),  # uk-pay-in-3 is no campaign of the merchant's
    ]
    assert result(post(client, "/rpc/collect", events))["accepted"] == 3
    touches = AttributionStore(redis_client).touches("demo", VISIT)
    assert [(t.type, t.campaign_id, t.variant) for t in touches] == [
        ("impression", "us-lead-test", "lead-pay-later"),
        ("click", "uk-pay-in-3", "B"),
    ]
    wire = stream_events(redis_client)
    # the rollups count the merchant's own variants only (monitored_campaigns: a bounded set)
    assert [(e.get("campaign_id"), e.get("variant")) for e in wire] == [
        ("us-lead-test", "lead-pay-in-4"),
        ("us-lead-test", "lead-pay-later"),
        (None, None),
    ]
    assert not any("visit_id" in e or "session_id" in e for e in wire)
    assert redis_client.ttl(attribution_keys.touches_key("demo", VISIT)) > 6 * 86400


def test_a_server_order_is_attributed_last_touch_and_any_touch(client, redis_client, api_key) -> None:  # type: ignore[no-untyped-def]
    post(client, "/rpc/collect", [frame_event(type="impression", variant="B"), frame_event(variant="A")])
    assert result(post(client, "/rpc", [order_event()], api_key)) == {"accepted": 1, "rejected": []}
    assert counted(redis_client) == {("uk-pay-in-3", "A", "credit-badge"): (1, {"GBP": 12900})}
    assert set(counted(redis_client, "any_touch")) == {
        ("uk-pay-in-3", "A", "credit-badge"),
        ("uk-pay-in-3", "B", "credit-badge"),
    }
    assert counted(redis_client, "all") == {(None, None, None): (1, {"GBP": 12900})}
    (order,) = [e for e in stream_events(redis_client) if e["type"] == "order_created"]
    assert order["order_id"] == "ORD-1001" and order["source"] == "server" and "visit_id" not in order


def test_an_order_of_a_visit_without_touches_counts_unattributed(client, redis_client, api_key) -> None:  # type: ignore[no-untyped-def]
    result(post(client, "/rpc", [order_event(visit_id="another-visit")], api_key))
    assert counted(redis_client) == {}
    assert counted(redis_client, "unattributed") == {(None, None, None): (1, {"GBP": 12900})}


def test_a_client_order_is_stored_but_not_counted_by_default(client, redis_client) -> None:  # type: ignore[no-untyped-def]
    post(client, "/rpc/collect", [frame_event()])
    assert result(post(client, "/rpc/collect", [client_order()], text_plain=True))["accepted"] == 1
    assert counted(redis_client, "all") == {}
    assert redis_client.get(attribution_keys.order_key("demo", "client", "ORD-1001")) is not None
    assert not any(e["type"] == "order_created" for e in stream_events(redis_client))


def test_a_client_order_counts_when_the_merchant_counts_client_orders(app, client, redis_client) -> None:  # type: ignore[no-untyped-def]
    set_merchant(app, order_source="client")
    post(client, "/rpc/collect", [frame_event()])
    assert result(post(client, "/rpc/collect", [client_order()], text_plain=True))["accepted"] == 1
    assert counted(redis_client) == {("uk-pay-in-3", "A", "credit-badge"): (1, {"GBP": 12900})}
    (order,) = [e for e in stream_events(redis_client) if e["type"] == "order_created"]
    assert order["source"] == "client"


def test_both_sources_and_reloads_count_an_order_once(app, client, redis_client, api_key) -> None:  # type: ignore[no-untyped-def]
    set_merchant(app, order_source="both")
    post(client, "/rpc/collect", [frame_event()])
    post(client, "/rpc/collect", [client_order()], text_plain=True)
    post(client, "/rpc/collect", [client_order()], text_plain=True)  # the confirmation page reloaded
    assert result(post(client, "/rpc", [order_event()], api_key))["accepted"] == 1
    assert counted(redis_client, "all") == {(None, None, None): (1, {"GBP": 12900})}
    assert len([e for e in stream_events(redis_client) if e["type"] == "order_created"]) == 1
    assert redis_client.get(attribution_keys.order_key("demo", "server", "ORD-1001")) is not None


def test_a_resent_order_event_counts_once_and_still_reaches_the_stream(client, redis_client, api_key) -> None:  # type: ignore[no-untyped-def]
    event = order_event()
    post(client, "/rpc", [event], api_key)
    post(client, "/rpc", [event], api_key)  # e.g. after a -32002: same event id
    assert counted(redis_client, "all") == {(None, None, None): (1, {"GBP": 12900})}
    assert (
        len([e for e in stream_events(redis_client) if e["type"] == "order_created"]) == 2
    )  # the worker dedupes ids


def test_a_counted_order_reaches_the_stream_under_its_last_touchs_variant(
    client, redis_client, api_key
) -> None:  # type: ignore[no-untyped-def]
    lead_test = {"campaign_id": "us-lead-test", "placement_key": "cart-badge"}  # a campaign of demo's
    post(client, "/rpc/collect", [frame_event(**lead_test, variant="lead-pay-in-4", type="impression"),
                                  frame_event(**lead_test, variant="lead-pay-later")])  # fmt: skip
    event = order_event(currency="USD")
    post(client, "/rpc", [event], api_key)
    post(client, "/rpc", [event], api_key)  # resent after a -32002: it may be the first to reach the stream
    orders = [e for e in stream_events(redis_client) if e["type"] == "order_created"]
    assert [(e["campaign_id"], e["variant"]) for e in orders] == [("us-lead-test", "lead-pay-later")] * 2
    # last touch on a campaign the merchant does not have: counted, attributed, but no variant in the stream
    post(client, "/rpc/collect", [frame_event(session_id="other-visit")])
    post(client, "/rpc", [order_event(visit_id="other-visit", order_id="ORD-2")], api_key)
    assert counted(redis_client)[("uk-pay-in-3", "A", "credit-badge")][0] == 1
    last = [e for e in stream_events(redis_client) if e["type"] == "order_created"][-1]
    assert last["order_id"] == "ORD-2" and "campaign_id" not in last and "variant" not in last


def test_server_orders_without_an_order_id_keep_working(client, redis_client, api_key) -> None:  # type: ignore[no-untyped-def]
    legacy = {"id": str(uuid.uuid4()), "type": "order_created", "ts": int(time.time() * 1000), "amount": 100}
    assert result(post(client, "/rpc", [legacy], api_key))["accepted"] == 1
    assert counted(redis_client, "all") == {}
    assert [e["type"] for e in stream_events(redis_client)] == ["order_created"]


def test_the_stored_touches_of_a_visit_are_capped(redis_client) -> None:  # type: ignore[no-untyped-def]
    made = [
        Touch(f"e{i:04d}", "click", 1, VISIT, "c", f"v{i}", "credit-badge") for i in range(MAX_TOUCHES + 30)
    ]
    AttributionStore(redis_client).record_touches(RecordedTouch("demo", 7, t) for t in made)
    touches = AttributionStore(redis_client).touches("demo", VISIT)
    assert len(touches) == MAX_TOUCHES and touches[-1].variant == f"v{MAX_TOUCHES + 29}"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"order_id": 42}, "order_id must be 1-64"),
        ({"order_id": "x" * 1_000_000}, "order_id must be 1-64"),
        ({"order_id": "a b"}, "order_id must be 1-64"),
        ({"amount": -1}, "amount must be an integer"),
        ({"amount": "129.00"}, "amount must be an integer"),
        ({"amount": None}, "amount is required"),
        ({"currency": "XYZ"}, "currency 'XYZ' is not one the merchant sells in"),
        ({"currency": "gbp"}, "currency must be an ISO 4217 code"),
        ({"visit_id": ["v"]}, "visit_id must be"),
        ({"payment_method": {"x": 1}}, "payment_method must be"),
        ({"source": "client"}, "source must be 'server'"),
        ({"client_id": "acme"}, "client_id must be the merchant of the API key"),
    ],
)
def test_hostile_server_orders_are_rejected_clearly(client, redis_client, api_key, overrides, reason) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/rpc", [order_event(**overrides), order_event(order_id="GOOD-1")], api_key)
    body = result(response)
    assert body["accepted"] == 1
    assert len(body["rejected"]) == 1 and reason in body["rejected"][0]["reason"], body
    assert counted(redis_client, "all") == {(None, None, None): (1, {"GBP": 12900})}


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"source": None}, "sent by the merchant's server with its API key (or by the loader"),
        ({"source": "server"}, "sent by the merchant's server"),
        ({"visit_id": None}, "visit_id is required"),
        ({"order_id": None}, "order_id is required"),
        ({"client_id": "nobody"}, "not a known merchant"),
        ({"ts": "now"}, "ts must be an integer"),
    ],
)
def test_hostile_client_orders_are_rejected_clearly(client, overrides, reason) -> None:  # type: ignore[no-untyped-def]
    event = {k: v for k, v in client_order(**overrides).items() if v is not None}
    assert reason in reasons(post(client, "/rpc/collect", [event], text_plain=True))[0]


def test_frame_events_with_malformed_campaign_or_variant_are_rejected(client, redis_client) -> None:  # type: ignore[no-untyped-def]
    bad = [frame_event(campaign_id="<script>"), frame_event(variant=7), frame_event(campaign_id="x" * 65)]
    body = result(post(client, "/rpc/collect", [*bad, frame_event(campaign_id=None, variant=None)]))
    assert body["accepted"] == 1
    assert [r["reason"].split(" ")[0] for r in body["rejected"]] == ["campaign_id", "variant", "campaign_id"]
    assert (
        AttributionStore(redis_client).touches("demo", VISIT) == []
    )  # an older frame: no campaign, no touch


def test_a_key_of_another_merchant_cannot_order_for_demo_nor_reach_its_visits(
    client, redis_client, other_key
) -> None:  # type: ignore[no-untyped-def]
    post(client, "/rpc/collect", [frame_event()])
    assert (
        "client_id must be the merchant of the API key"
        in reasons(post(client, "/rpc", [order_event(client_id="demo")], other_key))[0]
    )
    assert (
        result(post(client, "/rpc", [order_event()], other_key))["accepted"] == 1
    )  # demo's visit id, acme's order
    rows = AttributionStore(redis_client).attributed_orders("acme", today())
    assert [(r.model, r.orders) for r in rows] == [("all", 1), ("unattributed", 1)]
    assert counted(redis_client, "all") == {}


def test_a_huge_body_without_a_key_is_refused_without_a_500(client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/rpc/collect", [client_order(order_id="x" * 1_000_000)], text_plain=True)
    assert response.status_code == 413


def test_redis_down_is_a_clean_service_error_and_nothing_is_lost(
    client, redis_client, api_key, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import redis

    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise redis.ConnectionError("down")

    monkeypatch.setattr(redis.Redis, "lrange", fail)
    event = order_event()
    body = post(client, "/rpc", [event], api_key).get_json()
    assert body["error"]["code"] == -32002
    monkeypatch.undo()
    assert result(post(client, "/rpc", [event], api_key))["accepted"] == 1
    assert counted(redis_client, "all") == {(None, None, None): (1, {"GBP": 12900})}


def test_attributed_orders_refuses_an_unbounded_range(redis_client) -> None:  # type: ignore[no-untyped-def]
    store = AttributionStore(redis_client)
    with pytest.raises(ValueError, match="1 to 400 days"):
        store.attributed_orders("demo", (dt.date(2026, 1, 2), dt.date(2026, 1, 1)))
    with pytest.raises(ValueError, match="1 to 400 days"):
        store.attributed_orders("demo", (dt.date(2020, 1, 1), dt.date(2026, 1, 1)))


def test_only_rpc_collect_reads_a_text_plain_body(client) -> None:  # type: ignore[no-untyped-def]
    body = post(client, "/rpc", [frame_event()], text_plain=True).get_json()
    assert body["error"]["code"] == -32700 and "application/json" in body["error"]["data"]["message"]
    assert result(post(client, "/rpc/collect", [frame_event()], text_plain=True))["accepted"] == 1
