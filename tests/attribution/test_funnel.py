"""The funnel counters through ``events.track`` (Flask test client) against the real Redis."""

from __future__ import annotations

import datetime as dt

import pytest
import redis.client

from bff.attribution import keys as attribution_keys
from bff.attribution.funnel import FunnelRow, FunnelStore, visit_digest
from tests.attribution.test_ingest import VISIT, frame_event, other_key, post, result, today  # noqa: F401

OTHER_VISIT = "fedcba9876543210fedcba9876543210"


def test_events_are_counted_per_campaign_variant_and_placement(client, redis_client) -> None:  # type: ignore[no-untyped-def]
    events = [
        frame_event(type="view"),
        frame_event(type="view", session_id=OTHER_VISIT),
        frame_event(type="impression"),
        frame_event(type="click"),
        frame_event(type="interstitial_open"),
        frame_event(type="view", variant="B"),
        frame_event(type="view", placement_key="cart-strip"),
    ]
    assert result(post(client, "/rpc/collect", events))["accepted"] == 7
    rows = FunnelStore(redis_client).funnel("demo", today())
    day = dt.datetime.now(dt.UTC).date().isoformat()
    assert rows == [
        FunnelRow(day, "uk-pay-in-3", "A", "cart-strip", views=1),
        FunnelRow(day, "uk-pay-in-3", "A", "credit-badge", views=2, impressions=1, clicks=1, opens=1),
        FunnelRow(day, "uk-pay-in-3", "B", "credit-badge", views=1),
    ]


def test_distinct_visits_are_counted_once_over_days_and_events(client, redis_client) -> None:  # type: ignore[no-untyped-def]
    events = [
        frame_event(type="view"),
        frame_event(type="click"),
        frame_event(type="view", session_id=OTHER_VISIT),
    ]
    post(client, "/rpc/collect", events)
    post(client, "/rpc/collect", [frame_event(type="view", variant="B")])
    funnel = FunnelStore(redis_client)
    assert funnel.exposed_visits("demo", "uk-pay-in-3", "A", today()) == 2
    assert funnel.exposed_visits("demo", "uk-pay-in-3", "B", today()) == 1
    assert funnel.exposed_visits("demo", None, None, today()) == 2
    assert funnel.exposed_visits("demo", "other-campaign", "A", today()) == 0


def test_the_visit_id_is_never_stored_in_clear_and_keys_expire(client, redis_client) -> None:  # type: ignore[no-untyped-def]
    post(client, "/rpc/collect", [frame_event(type="view")])
    day = dt.datetime.now(dt.UTC).date().isoformat()
    exposed = attribution_keys.exposed_key("demo", day, "uk-pay-in-3", "A")
    assert VISIT.encode() not in redis_client.dump(exposed)
    assert visit_digest("demo", VISIT) != visit_digest("acme", VISIT)
    for key in (exposed, attribution_keys.funnel_key("demo", day), attribution_keys.exposed_key("demo", day)):
        assert redis_client.ttl(key) > 399 * 86400
        assert key.startswith("onsite:{m:demo}:")


def test_another_merchants_events_are_not_counted(client, redis_client, other_key) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    post(client, "/rpc/collect", [frame_event(type="view", client_id="acme"), frame_event(type="view")])
    funnel = FunnelStore(redis_client)
    assert [r.views for r in funnel.funnel("demo", today())] == [1]
    assert [r.views for r in funnel.funnel("acme", today())] == [1]
    assert funnel.exposed_visits("demo", None, None, today()) == 1


def test_events_without_a_campaign_or_of_an_unknown_merchant_are_not_counted(client, redis_client) -> None:  # type: ignore[no-untyped-def]
    plain = frame_event(type="view")
    del plain["campaign_id"], plain["variant"]
    post(client, "/rpc/collect", [plain, frame_event(type="view", client_id="nobody")])
    assert FunnelStore(redis_client).funnel("demo", today()) == []
    assert not redis_client.keys("onsite:{m:nobody}:*")


def test_a_batch_writes_the_funnel_in_one_pipelined_round_trip(client, redis_client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    funnel_writes = []
    original = redis.client.Pipeline.execute

    def execute(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        commands = {str(c[0][0]) for c in self.command_stack}
        if commands & {"HINCRBY", "PFADD"}:
            funnel_writes.append(commands)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", execute)
    events = [frame_event(type="view"), frame_event(type="click"), frame_event(type="view", variant="B")]
    post(client, "/rpc/collect", events)
    assert funnel_writes == [{"HINCRBY", "PFADD", "EXPIRE"}]


def test_day_ranges_are_bounded(redis_client) -> None:  # type: ignore[no-untyped-def]
    day = dt.date(2026, 1, 1)
    with pytest.raises(ValueError, match="1 to 400"):
        FunnelStore(redis_client).funnel("demo", (day, day - dt.timedelta(days=1)))
