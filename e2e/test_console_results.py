"""The merchant's results page in Chromium: a shopper sees the badge, clicks it and orders on
the demo shop; the merchant admin then reads that order on the results page."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from playwright.sync_api import Page, expect

from e2e.conftest import LiveServer
from e2e.console_sign_in import sign_in_to_console
from e2e.test_attribution import click_the_demo_badge, counting_client_orders, live_client, wait_for  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture
def fresh_results(live_client: redis.Redis) -> Iterator[None]:  # noqa: F811
    """The demo merchant's results start empty and are emptied again (other suites share
    the live server's Redis and count its attributed orders)."""
    _clear_results(live_client)
    yield
    _clear_results(live_client)


def _clear_results(client: redis.Redis) -> None:
    for pattern in ("attributed:*", "funnel:*", "exposed:*"):
        for key in client.scan_iter(f"onsite:{{m:demo}}:{pattern}"):
            client.delete(key)


def test_a_shoppers_order_shows_on_the_results_page(
    page: Page,
    live_server: LiveServer,
    live_client: redis.Redis,  # noqa: F811
    counting_client_orders: None,  # noqa: F811
    fresh_results: None,
) -> None:
    shown = click_the_demo_badge(page, live_server, live_client)
    order = {"order_id": f"E2E-R-{int(time.time() * 1000)}", "amount": 9900, "currency": "GBP"}
    page.evaluate("(order) => Onsite.push(['order', order])", order)

    sign_in_to_console(page, live_server)
    results = f"{live_server.public_origin}/console/m/demo/results"
    funnel = page.locator(
        f'[data-testid="funnel"][data-campaign="{shown["campaign_id"]}"][data-variant="{shown["variant"]}"]'
    )

    def order_shown() -> bool:
        page.goto(results)
        return (
            funnel.count() == 1
            and funnel.locator('[data-step="5"] [data-testid="funnel-count"]').inner_text() == "1"
        )

    wait_for(order_shown)
    expect(page.get_by_test_id("glance-orders")).to_have_text("1")
    expect(page.get_by_test_id("glance-value")).to_have_text("GBP 99")
    expect(funnel.locator('[data-step="3"] [data-testid="funnel-count"]')).to_have_text("1")
    expect(page.get_by_role("link", name="Results")).to_have_attribute("aria-current", "page")
    page.screenshot(path="/tmp/results-page.png", full_page=True)
