"""A variant whose conversion collapses raises an alert naming it, through the real pipeline.

Widget impressions and the merchant server's orders go through ``events.track`` (the Flask
test client: validation, attribution of each order to its visit's last touch, the visit
join of dimensions), the events stream, the rollup worker and the detector, all on the
test session's real Redis. Only the receive time of the stream entries is chosen by the
test (``received_at``: entries of two past minutes, so the detector compares whole
minutes without the test waiting for the clock); everything else is the production path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from bff import create_app
from bff.monitoring.alerts.store import AlertStore
from bff.monitoring.detection.config import DetectionConfig
from bff.monitoring.detection.detector import Detector
from bff.monitoring.ingest import stream
from bff.monitoring.metrics import COUNTER_INDEX
from bff.monitoring.rollups.aggregation import MINUTE_MS
from bff.monitoring.rollups.store import RollupStore
from bff.monitoring.rollups.worker import RollupWorker, WorkerConfig
from bff.settings import Settings

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
LEAD_TEST = "us-lead-test"  # the demo merchant's A/B campaign
SIBLING, COLLAPSING = "lead-pay-in-4", "lead-pay-later"
VARIANT = f"merchant=demo|campaign={LEAD_TEST}|variant="
_ids = itertools.count()


@pytest.fixture
def app(settings: Settings) -> Any:
    """The app with rate limits that let a test post two minutes of a shop's traffic at once."""
    return create_app(
        dataclasses.replace(settings, events_rate_per_ip="100000/second", events_rate_per_key="100000/second")
    )


@pytest.fixture
def keys_of(app: Any) -> dict[str, str]:
    """API keys of ``demo`` and of a second merchant, ``acme`` (no campaigns of its own)."""
    documents = app.extensions["onsite.merchants"].documents
    doc = documents.current("demo")
    documents.save({**doc, "client_id": "acme", "name": "Acme"}, {"kind": "test", "id": "t"}, "2026-01-01Z")
    now = dt.datetime.now(dt.UTC)
    return {
        m: app.extensions["onsite.api_keys"].create(m, "merchant_admin", "t", now)[0]
        for m in ("demo", "acme")
    }


@pytest.fixture
def received_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """``clock["ms"]``: the receive time given to the stream entries appended next."""
    clock = {"ms": 0}
    append = stream.append_batch

    def append_at(client: redis.Redis, events: list[dict[str, Any]], **context: Any) -> str:
        return append(_ReceivedAt(client, clock["ms"]), events, **context)

    monkeypatch.setattr(stream, "append_batch", append_at)
    yield clock


class _ReceivedAt:
    """A client (or pipeline) whose ``XADD`` takes an explicit millisecond time (``<ms>-*``)."""

    def __init__(self, client: Any, ms: int) -> None:
        self.client, self.ms = client, ms

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def __enter__(self) -> _ReceivedAt:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.reset()

    def xadd(self, name: str, fields: Any, **options: Any) -> Any:
        return self.client.xadd(name, fields, **{**options, "id": f"{self.ms}-*"})

    def pipeline(self, *args: Any, **kwargs: Any) -> _ReceivedAt:
        return _ReceivedAt(self.client.pipeline(*args, **kwargs), self.ms)


def post(client: Any, path: str, events: list[dict[str, Any]], headers: dict[str, str]) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "events.track", "params": {"events": events}}
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 200 and response.get_json()["result"]["rejected"] == [], response.data


def browser_of(index: int) -> str:
    """Visits 0, 1, 2 of every 5 run Chrome, visits 3 and 4 Firefox."""
    return FIREFOX if index % 5 >= 3 else CHROME


def shop_minute(client: Any, keys_of: dict[str, str], ms: int, orders: dict[str, int]) -> dict[str, int]:
    """One minute of two shops: 300 visits per (merchant, campaign, variant), one impression
    each, and ``orders[variant]`` (else 60) of them ordering, reported by the merchant's
    server without a user agent (the visit join gives each order its visit's browser).
    Returns the orders of Firefox visits per merchant."""
    firefox_orders = {"demo": 0, "acme": 0}
    groups = [("demo", LEAD_TEST, SIBLING), ("demo", LEAD_TEST, COLLAPSING), ("acme", "acme-spring", "a")]
    for merchant, campaign, variant in groups:
        visit_ids = [f"v{next(_ids):08d}" for _ in range(300)]
        for agent in (CHROME, FIREFOX):
            impressions = [
                {"id": uuid.uuid4().hex, "type": "impression", "client_id": merchant, "ts": ms,
                 "placement_key": "cart-badge", "session_id": visit, "locale": "en-US",
                 "campaign_id": campaign, "variant": variant}
                for i, visit in enumerate(visit_ids) if browser_of(i) == agent
            ]  # fmt: skip
            post(client, "/rpc/collect", impressions, {"User-Agent": agent})
        buyers = list(enumerate(visit_ids))[: orders.get(variant, 60)]
        firefox_orders[merchant] += sum(1 for i, _ in buyers if browser_of(i) == FIREFOX)
        order_events = [
            {"id": uuid.uuid4().hex, "type": "order_created", "ts": ms, "visit_id": visit,
             "order_id": f"o-{visit}", "amount": 12900, "currency": "USD", "payment_method": "pay_in_4"}
            for _, visit in buyers
        ]  # fmt: skip
        if order_events:
            post(client, "/rpc", order_events, {"Authorization": f"Bearer {keys_of[merchant]}"})
    return firefox_orders


def drain(redis_client: redis.Redis) -> None:
    """Run the rollup worker until the stream is consumed."""
    stream.ensure_group(redis_client)
    worker = RollupWorker(redis_client, WorkerConfig(consumer="test", block_ms=20))
    while worker.step():
        pass


def test_a_variant_whose_conversion_collapses_is_alerted_by_name_and_its_sibling_is_not(
    app: Any, client: Any, redis_client: redis.Redis, keys_of: dict[str, str], received_at: dict[str, int]
) -> None:
    minute = int(dt.datetime.now(dt.UTC).timestamp() * 1000) // MINUTE_MS - 3
    received_at["ms"] = (minute - 1) * MINUTE_MS + 20_000
    firefox_orders = shop_minute(client, keys_of, received_at["ms"], {})
    received_at["ms"] = minute * MINUTE_MS + 20_000
    shop_minute(client, keys_of, received_at["ms"], {COLLAPSING: 1})
    drain(redis_client)

    # the visit join, as data: orders of Firefox visits over impressions of Firefox visits
    before = RollupStore(redis_client).minute(minute - 1)
    orders, impressions = COUNTER_INDEX["order_created"], COUNTER_INDEX["impression"]
    assert before["merchant=demo|browser=Firefox"][orders] == firefox_orders["demo"] == 48
    assert before["merchant=demo|browser=Firefox"][impressions] == 2 * 120
    assert before["browser=Firefox"][orders] == 72 and before["device=desktop"][impressions] == 900
    # orders count under the variant of their last touch; acme's campaign is not one of its own
    assert before[VARIANT + COLLAPSING][orders] == before[VARIANT + SIBLING][orders] == 60
    assert not any("acme-spring" in combo for combo in before)

    detector = Detector(redis_client, DetectionConfig())
    end_of_minute = (minute + 1) * MINUTE_MS - 1
    first = detector._sweep_minute(minute, 1.0, end_of_minute - 2)
    # one sweep already names the variant alone (the merchant's drop, its browsers and its
    # country are the variant's missing orders seen from above and from the side)
    assert [c.root for c in first.candidates] == [VARIANT + COLLAPSING]
    result = detector._sweep_minute(minute, 1.0, end_of_minute - 1)
    alerts = [a for a in AlertStore(redis_client).recent() if a["status"] == "open"]
    assert [a["root"] for a in alerts] == [VARIANT + COLLAPSING], [a["root"] for a in alerts]
    (alert,) = alerts
    assert alert["title"] == f"merchant demo, campaign {LEAD_TEST}, variant {COLLAPSING}"
    assert {(f["metric"], f["direction"]) for f in alert["evidence"]} >= {("message_conversion", "down")}
    # the sibling was tested on the same minute and is normal
    evaluation = result.evaluation
    assert evaluation.status(VARIANT + SIBLING, "message_conversion", "down") == "normal"
    assert evaluation.status(VARIANT + COLLAPSING, "message_conversion", "down") == "significant"
