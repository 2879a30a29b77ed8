"""The proof of the funnel (issue #15): shoppers of both variants of the demo's US A/B
campaign see the messages, click, open the interstitial and order on the demo shop; the
merchant's Results page then shows exactly those counts per variant, and so do the
monitoring rollups once the rollup worker has run.

A server of its own (its own redis-server, the app on a free loopback port, a rollup worker
thread), so that no other suite's events are counted. Each shopper is a browser context of
its own, i.e. a visit of its own; its visit id is chosen so that the campaign's bucketing
(``bff.decisions.bucketing``, the same function ``decide`` uses) puts it in the wanted
variant, and the test checks that the badge really shows that variant's copy.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from bff import create_app
from bff.attribution import keys as attribution_keys
from bff.attribution.store import AttributionStore
from bff.decisions.bucketing import bucket, pick_weighted
from bff.monitoring.cli import rollup_worker
from bff.monitoring.rollups.aggregation import MINUTE_MS
from bff.monitoring.rollups.store import RollupStore
from bff.monitoring.rollups.worker import WorkerConfig
from bff.store.embedded import EmbeddedRedis
from e2e.conftest import SERVER_SHUTDOWN_TIMEOUT_S, LiveServer, _create_user
from e2e.console_sign_in import sign_in_to_console
from e2e.loopback import free_port, loopback_settings
from e2e.test_attribution import wait_for
from e2e.test_consistent_messaging import US_VARIANTS
from e2e.test_widget_interstitial import open_overlay, shown_badge

pytestmark = pytest.mark.e2e

CAMPAIGN = "us-lead-test"
VARIANTS = ("lead-pay-in-4", "lead-pay-later")  # the campaign's order: the first is the control
# Per variant: one buyer (product page: strip + badge seen, badge clicked, dialog opened;
# basket: its badge seen; order placed) and one visitor who only looks at the product page.
EXPECTED = {"impressions": 2 + 1 + 2, "clicks": 1, "opens": 1, "orders": 1, "visits": 2}
ROLLUP_COUNTERS = {"impression": 5, "click": 1, "interstitial_open": 1, "order_created": 1}
SHOPPER_SCRIPT = """([origin, visit]) => {
  if (location.origin !== origin) return;  // not in our frames: only the shop's own pages
  localStorage.setItem('onsite.session', JSON.stringify({id: visit, expires: Date.now() + 1800000}));
  window.__seen = [];
  window.Onsite = window.Onsite || [];
  for (const type of ['impression', 'click', 'open', 'close']) {
    window.Onsite.push(['on', type, (detail) => window.__seen.push(type + ':' + detail.placement_key)]);
  }
}"""


@dataclass(frozen=True)
class FunnelServer:
    live: LiveServer
    redis_url: str


@pytest.fixture(scope="module")
def funnel_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FunnelServer]:
    """The app with a rollup worker, on its own redis-server; all stopped (bounded) afterwards."""
    redis_server = EmbeddedRedis(tmp_path_factory.mktemp("funnel-redis"))
    redis_server.start()
    port = free_port()
    app = create_app(loopback_settings(redis_server.url, Path(tmp_path_factory.mktemp("funnel-var")), port))
    stopped = threading.Event()
    worker = rollup_worker(app, WorkerConfig(consumer="e2e-funnel"))
    worker_thread = threading.Thread(target=worker.run, args=(stopped.is_set,), daemon=True)
    server = make_server("127.0.0.1", port, app, threaded=True)
    server_thread = threading.Thread(target=server.serve_forever, name="funnel-server", daemon=True)
    worker_thread.start()
    server_thread.start()
    settings = app.extensions["onsite.settings"]
    live = LiveServer(
        settings.public_origin, settings.demo_origin, lambda ref: "", lambda r, m: _create_user(app, r, m)
    )
    try:
        yield FunnelServer(live, redis_server.url)
    finally:
        server.shutdown()
        server_thread.join(SERVER_SHUTDOWN_TIMEOUT_S)
        stopped.set()
        worker_thread.join(SERVER_SHUTDOWN_TIMEOUT_S)
        redis_server.stop()


def visit_in(variant: str, who: str) -> str:
    """A visit id (32 hex, as the loader makes them) that the campaign buckets into ``variant``."""
    for i in range(1000):
        visit = hashlib.blake2b(f"funnel-{who}-{variant}-{i}".encode(), digest_size=16).hexdigest()
        if VARIANTS[pick_weighted([50, 50], bucket(f"variant:{CAMPAIGN}", visit))] == variant:
            return visit
    raise AssertionError("no visit id found")


def shopper(browser: Browser, server: LiveServer, visit: str) -> Any:
    """A browser context of its own (a visit of its own) whose shop pages record the events."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"({SHOPPER_SCRIPT})({json.dumps([server.demo_origin, visit])})")
    return context


def seen(page: Page, event: str, count: int) -> None:
    """Wait until the page's ``Onsite.on`` hooks have seen ``count`` events ``type:placement``
    (``type:*`` for any placement)."""
    kind, placement = event.split(":")
    page.wait_for_function(
        "([kind, placement, count]) => window.__seen.filter((e) => e.split(':')[0] === kind"
        " && (placement === '*' || e.endsWith(':' + placement))).length >= count",
        arg=[kind, placement, count],
    )


def look_at_the_product(page: Page, server: LiveServer, variant: str) -> None:
    page.goto(f"{server.demo_url}?market=en-US")
    badge = shown_badge(page)
    expect(badge.get_by_test_id("onsite-badge-text")).to_contain_text(US_VARIANTS[variant])
    seen(page, "impression:credit-badge", 1)
    seen(page, "impression:top-strip", 1)


def buy(page: Page, server: LiveServer, client: redis.Redis, visit: str, variant: str) -> str:
    """The buyer's path after the product page: click, dialog, basket, checkout; the order id."""
    shown_badge(page).get_by_test_id("onsite-cta").click()
    overlay = open_overlay(page)
    seen(page, "open:*", 1)
    overlay.get_by_test_id("onsite-dialog").press("Escape")
    seen(page, "close:*", 1)
    page.goto(f"{server.demo_origin}/demo/cart?market=en-US")
    expect(shown_badge(page, "#cart-badge").get_by_test_id("onsite-badge-text")).to_contain_text(
        US_VARIANTS[variant]
    )
    seen(page, "impression:cart-badge", 1)
    # The order is attributed at once: the visit's click must be recorded before it arrives.
    store = AttributionStore(client)
    wait_for(lambda: any(t.type == "click" for t in store.touches("demo", visit)))
    expect(page.locator("#visit-id")).to_have_value(visit)  # from Onsite getVisit
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_test_id("server-report")).to_contain_text("Our server reported this order")
    order_id = page.get_by_test_id("order-id").inner_text()
    # The confirmation page's own report (client source) is stored beside the server's.
    wait_for(lambda: client.exists(attribution_keys.order_key("demo", "client", order_id)))
    return order_id


def funnel_counts(page: Page, variant: str) -> dict[str, int]:
    """The Results page's funnel of the campaign's ``variant``: step -> count."""
    figure = page.locator(f'[data-testid="funnel"][data-campaign="{CAMPAIGN}"][data-variant="{variant}"]')
    if figure.count() != 1:
        return {}
    counts = figure.locator('[data-testid="funnel-count"]').all_inner_texts()
    return dict(zip(("views", "impressions", "clicks", "opens", "orders"), map(int, counts), strict=True))


def rollup_totals(client: redis.Redis, variant: str, first_minute: int) -> dict[str, int]:
    combo = f"merchant=demo|campaign={CAMPAIGN}|variant={variant}"
    last = int(time.time() * 1000) // MINUTE_MS
    series = RollupStore(client).series(combo, ROLLUP_COUNTERS, first_minute, last)
    return {name: sum(series.get(name, [])) for name in ROLLUP_COUNTERS}


def test_each_variants_funnel_shows_exactly_what_its_shoppers_did(
    browser: Browser, funnel_server: FunnelServer
) -> None:
    started = time.time()
    server = funnel_server.live
    client = redis.Redis.from_url(funnel_server.redis_url)
    first_minute = int(started * 1000) // MINUTE_MS
    orders = {}
    shoppers = []
    for variant in VARIANTS:
        for buys in (True, False):
            visit = visit_in(variant, "buyer" if buys else "looker")
            context = shopper(browser, server, visit)
            page = context.new_page()
            look_at_the_product(page, server, variant)
            if buys:
                orders[variant] = buy(page, server, client, visit, variant)
            page.goto("about:blank")  # the frames send what they still hold as the page hides
            # The context stays open until the counts are in: closing a browser context
            # cancels its keepalive requests, which a shopper closing a tab never does.
            shoppers.append(context)

    admin = browser.new_context()
    page = admin.new_page()
    sign_in_to_console(page, server)
    results = f"{server.public_origin}/console/m/demo/results"
    shown: dict[str, dict[str, int]] = {}

    def all_shown() -> bool:
        page.goto(results)
        shown.update({v: funnel_counts(page, v) for v in VARIANTS})
        return all(shown[v].get("impressions") == EXPECTED["impressions"] for v in VARIANTS)

    try:
        wait_for(all_shown, timeout_s=15)
    except AssertionError:
        raise AssertionError(f"the Results page still shows {shown}, expected {EXPECTED}") from None
    for context in shoppers:
        context.close()
    time.sleep(1.0)  # anything still in flight would show now: the counts must not grow
    page.goto(results)
    for variant in VARIANTS:
        counts = funnel_counts(page, variant)
        assert {k: counts[k] for k in ("impressions", "clicks", "opens", "orders")} == {
            k: EXPECTED[k] for k in ("impressions", "clicks", "opens", "orders")
        }, variant
        assert counts["views"] >= counts["impressions"]
        row = page.locator(
            f'[data-testid="experiment"][data-campaign="{CAMPAIGN}"] tr[data-variant="{variant}"]'
        )
        assert row.locator("td").nth(0).inner_text() == str(EXPECTED["visits"])  # exposed visits
        assert row.locator("td").nth(1).inner_text() == str(EXPECTED["orders"])
    expect(page.get_by_test_id("glance-orders")).to_have_text("2")
    expect(page.get_by_test_id("glance-value")).to_have_text("USD 306")  # 2 x ($129 + $24)
    admin.close()

    # The monitoring rollups (what the dashboard and the detector read) count the same per variant.
    wait_for(lambda: all(rollup_totals(client, v, first_minute) == ROLLUP_COUNTERS for v in VARIANTS))
    assert len(set(orders.values())) == 2
    client.close()
    assert time.time() - started < 60
