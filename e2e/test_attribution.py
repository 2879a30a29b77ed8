"""Attribution end to end in Chromium: a shopper sees the badge, clicks it, orders, and the
order is attributed to the campaign and variant shown (read through the store)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from playwright.sync_api import Page, expect

from bff.attribution.store import AttributionStore
from bff.store.embedded import EmbeddedRedis
from bff.store.merchant_documents import MerchantDocumentStore
from e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

ACTOR = {"kind": "test", "id": "e2e-attribution"}
RECORD_CLICKS = """() => {
  window.__clicks = [];
  Onsite.on('click', (detail) => window.__clicks.push(detail));
}"""


@pytest.fixture
def live_client(live_redis: EmbeddedRedis) -> Iterator[redis.Redis]:
    """A client on the live server's Redis."""
    client = redis.Redis.from_url(live_redis.url)
    yield client
    client.close()


@pytest.fixture
def counting_client_orders(live_client: redis.Redis) -> Iterator[None]:
    """The demo merchant counts orders from confirmation pages; restored afterwards."""
    documents = MerchantDocumentStore(live_client)
    before = documents.current("demo")
    assert before is not None
    documents.save({**before, "order_source": "both"}, ACTOR, "2026-01-01T00:00:00Z")
    yield
    documents.save(
        {**documents.current("demo"), "order_source": before.get("order_source", "server")}, ACTOR, "x"
    )  # type: ignore[dict-item]


def wait_for(check: Any, timeout_s: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def click_the_demo_badge(page: Page, live_server: LiveServer, live_client: redis.Redis) -> dict[str, Any]:
    """A shopper on the demo shop clicks the badge; returns what the click event named (campaign
    and variant) once the click is recorded as a touch of the visit (what an order then finds)."""
    page.goto(live_server.demo_url)
    page.wait_for_function("() => window.Onsite && !Array.isArray(window.Onsite)")
    page.evaluate(RECORD_CLICKS)
    badge = page.wait_for_selector("#badge iframe", state="attached").content_frame()
    assert badge is not None
    expect(badge.get_by_test_id("onsite-badge-text")).to_be_visible()
    visit = page.evaluate("new Promise((resolve) => Onsite.push(['getVisit', resolve]))")["visit_id"]
    store = AttributionStore(live_client)
    # The shopper looks first: both placements' impressions are recorded before the click,
    # so that the click is the visit's last touch (an impression after it would take the
    # order, as the rule says; the badge can show before the frame app runs, so a quick
    # click can be sent in the same batch as the impressions).
    wait_for(
        lambda: (
            {t.placement_key for t in store.touches("demo", visit) if t.type == "impression"}
            >= {"credit-badge", "top-strip"}
        )
    )
    badge.get_by_test_id("onsite-cta").click()
    page.wait_for_function("() => window.__clicks.length > 0")
    shown: dict[str, Any] = page.evaluate("window.__clicks[0]")
    # The frame sends its click within a second (or when the page hides).
    wait_for(lambda: any(t.type == "click" for t in store.touches("demo", visit)))
    return shown


def test_a_click_then_an_order_is_attributed_to_the_variant_shown(
    page: Page, live_server: LiveServer, live_client: redis.Redis, counting_client_orders: None
) -> None:
    shown = click_the_demo_badge(page, live_server, live_client)
    store = AttributionStore(live_client)

    order_id = f"E2E-{int(time.time() * 1000)}"
    order = {"order_id": order_id, "amount": 9900, "currency": "GBP", "payment_method": "pay_in_4"}
    page.evaluate("(order) => Onsite.push(['order', order])", order)
    page.evaluate("(order) => Onsite.push(['order', order])", order)  # a reload of the confirmation page

    today = dt.datetime.now(dt.UTC).date()

    def last_touch() -> list[Any]:
        rows = store.attributed_orders("demo", (today - dt.timedelta(days=1), today))
        return [r for r in rows if r.model == "last_touch"]

    (row,) = wait_for(last_touch)
    assert (row.campaign_id, row.variant, row.placement_key) == (
        shown["campaign_id"],
        shown["variant"],
        "credit-badge",
    )
    assert (row.orders, row.value) == (1, {"GBP": 9900})
    time.sleep(0.5)  # the duplicate had time to arrive: it counted nothing
    assert [r.orders for r in last_touch()] == [1]
    assert live_client.get(f"onsite:{{m:demo}}:order-claim:{order_id}") is not None
